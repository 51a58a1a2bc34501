"""Blob store fixtures. S3 tests run against moto's in-process server on 127.0.0.1 with
dummy credentials; no request ever leaves the machine."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from woundcare.blobs.base import BlobStore
from woundcare.blobs.local import LocalBlobStore
from woundcare.blobs.s3 import S3BlobStore

_DUMMY_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "zztest-access-key",
    "AWS_SECRET_ACCESS_KEY": "zztest-secret-key",
    "AWS_SESSION_TOKEN": "zztest-session-token",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
}


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    with pytest.MonkeyPatch.context() as mp:
        for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
            mp.delenv(name, raising=False)
        for name, value in _DUMMY_AWS_ENV.items():
            mp.setenv(name, value)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            assert host == "127.0.0.1"
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@pytest.fixture
def s3_store(moto_endpoint: str) -> S3BlobStore:
    store = S3BlobStore(
        f"zztest-{uuid.uuid4().hex[:12]}", endpoint_url=moto_endpoint, region_name="us-east-1"
    )
    store.ensure_bucket()
    return store


@pytest.fixture
def local_store(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture(params=["local", "s3"])
def blob_store(request: pytest.FixtureRequest) -> BlobStore:
    """The same contract suite runs against every backend."""
    store: BlobStore = request.getfixturevalue(f"{request.param}_store")
    return store


@pytest.fixture
def corrupt(request: pytest.FixtureRequest) -> Callable[[BlobStore, str, bytes], None]:
    """Overwrite a stored blob's bytes behind the store's back."""

    def overwrite(store: BlobStore, key: str, data: bytes) -> None:
        if isinstance(store, LocalBlobStore):
            path = store.path_for(key)
            path.write_bytes(data)
        elif isinstance(store, S3BlobStore):
            store._client.put_object(Bucket=store.bucket, Key=store.prefix + key, Body=data)
        else:  # pragma: no cover
            raise AssertionError(type(store))

    return overwrite
