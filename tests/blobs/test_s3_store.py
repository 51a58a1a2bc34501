from __future__ import annotations

import base64
import hashlib
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from woundcare.blobs.base import BlobNotFound
from woundcare.blobs.s3 import S3BlobStore


def _bucket() -> str:
    return f"zztest-{uuid.uuid4().hex[:12]}"


def test_endpoint_is_loopback(moto_endpoint: str) -> None:
    assert moto_endpoint.startswith("http://127.0.0.1:")


def test_ensure_bucket_is_idempotent(moto_endpoint: str) -> None:
    store = S3BlobStore(_bucket(), endpoint_url=moto_endpoint, region_name="us-east-1")
    store.ensure_bucket()
    store.ensure_bucket()
    ref = store.put(b"synthetic")
    assert store.get(ref.key) == b"synthetic"


def test_ensure_bucket_other_region(moto_endpoint: str) -> None:
    store = S3BlobStore(_bucket(), endpoint_url=moto_endpoint, region_name="eu-west-1")
    store.ensure_bucket()
    location = store._client.get_bucket_location(Bucket=store.bucket)
    assert location["LocationConstraint"] == "eu-west-1"


def test_prefix_and_object_layout(moto_endpoint: str) -> None:
    store = S3BlobStore(_bucket(), endpoint_url=moto_endpoint, prefix="woundcare/blobs/")
    store.ensure_bucket()
    data = b"synthetic prefixed"
    ref = store.put(data)
    listed = store._client.list_objects_v2(Bucket=store.bucket)
    assert [o["Key"] for o in listed.get("Contents", [])] == [f"woundcare/blobs/{ref.key}"]
    head = store._client.head_object(
        Bucket=store.bucket, Key=f"woundcare/blobs/{ref.key}", ChecksumMode="ENABLED"
    )
    assert head["ContentLength"] == len(data)
    assert head["ContentType"] == "application/octet-stream"


def test_sha256_checksum_sent(s3_store: S3BlobStore) -> None:
    """The upload carries x-amz-checksum-sha256 so real S3 rejects a body damaged in transit
    (moto accepts it but does not check it, so the request itself is inspected)."""
    sent: list[dict[str, str]] = []

    def capture(request: Any, **_: Any) -> None:
        sent.append(
            {
                k.lower(): v.decode() if isinstance(v, bytes) else str(v)
                for k, v in request.headers.items()
            }
        )

    s3_store._client.meta.events.register("before-send.s3.PutObject", capture)
    data = b"synthetic checksum"
    s3_store.put(data)
    expected = base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert len(sent) == 1
    assert sent[0].get("x-amz-checksum-sha256") == expected


def test_missing_bucket_is_an_error_not_not_found(moto_endpoint: str) -> None:
    store = S3BlobStore(_bucket(), endpoint_url=moto_endpoint)
    key = hashlib.sha256(b"x").hexdigest()
    with pytest.raises(ClientError) as info:
        store.get(key)
    assert not isinstance(info.value, BlobNotFound)
    assert info.value.response["Error"]["Code"] == "NoSuchBucket"


def test_bucket_required() -> None:
    with pytest.raises(ValueError, match="WOUNDCARE_S3_BUCKET"):
        S3BlobStore("")
