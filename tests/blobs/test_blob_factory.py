from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from woundcare.blobs.base import BlobStore
from woundcare.blobs.factory import blob_store_from_settings
from woundcare.blobs.local import LocalBlobStore
from woundcare.blobs.s3 import S3BlobStore
from woundcare.config import Settings


@pytest.fixture
def make_settings(monkeypatch: pytest.MonkeyPatch) -> Any:
    for name in list(os.environ):
        if name.startswith("WOUNDCARE_"):
            monkeypatch.delenv(name)

    def make(**values: Any) -> Settings:
        return Settings(_env_file=None, **values)

    return make


def test_local_default(tmp_path: Path, make_settings: Any) -> None:
    store = blob_store_from_settings(make_settings(data_dir=tmp_path))
    assert isinstance(store, LocalBlobStore)
    assert store.root == tmp_path / "blobs"
    ref = store.put(b"synthetic")
    assert (tmp_path / "blobs" / ref.key[:2] / ref.key[2:4] / ref.key).is_file()


def test_s3(moto_endpoint: str, make_settings: Any) -> None:
    settings = make_settings(
        blob_backend="s3",
        s3_endpoint_url=moto_endpoint,
        s3_bucket="zztest-factory",
        s3_region="us-east-1",
    )
    store = blob_store_from_settings(settings)
    assert isinstance(store, S3BlobStore)
    assert isinstance(store, BlobStore)
    store.ensure_bucket()
    ref = store.put(b"synthetic via factory")
    assert store.get(ref.key) == b"synthetic via factory"


def test_s3_needs_bucket(make_settings: Any) -> None:
    with pytest.raises(ValueError, match="WOUNDCARE_S3_BUCKET"):
        blob_store_from_settings(make_settings(blob_backend="s3"))


def test_unknown_backend(make_settings: Any) -> None:
    with pytest.raises(ValueError, match="'local' or 's3'"):
        blob_store_from_settings(make_settings(blob_backend="ftp"))
