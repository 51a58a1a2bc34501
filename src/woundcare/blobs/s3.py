"""S3-compatible blob store (AWS S3, MinIO, Ceph, ...) over boto3.

Credentials come from boto3's usual chain (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``,
profile, instance role...); nothing here reads or logs them. Objects are named
``<prefix><sha256>``; the upload carries ``ChecksumSHA256`` so the server rejects a body
damaged in transit, and ``get`` re-verifies the SHA-256 locally.
"""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from woundcare.blobs.base import BlobNotFound, BlobRef, validate_blob_key, verify_blob

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

    from woundcare.config import Settings

__all__ = ["S3BlobStore"]

_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
_NO_BUCKET = {"404", "NoSuchBucket", "NotFound"}


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class S3BlobStore:
    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region_name: str | None = None,
        prefix: str = "",
        client: S3Client | None = None,
    ) -> None:
        if not bucket:
            raise ValueError("An S3 bucket name is required (WOUNDCARE_S3_BUCKET).")
        self.bucket = bucket
        self.prefix = prefix
        self.region_name = region_name
        if client is None:
            config = Config(
                retries={"max_attempts": 5, "mode": "standard"},
                # S3-compatible servers behind a custom endpoint usually need path-style URLs.
                s3={"addressing_style": "path" if endpoint_url else "auto"},
            )
            client = boto3.client(
                "s3", endpoint_url=endpoint_url or None, region_name=region_name, config=config
            )
        self._client: S3Client = client

    @classmethod
    def from_settings(cls, settings: Settings) -> S3BlobStore:
        return cls(
            settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url or None,
            region_name=settings.s3_region or None,
        )

    def _object_key(self, key: str) -> str:
        return self.prefix + validate_blob_key(key)

    def put(self, data: bytes) -> BlobRef:
        data = bytes(data)
        ref = BlobRef.for_data(data)
        self._client.put_object(
            Bucket=self.bucket,
            Key=self._object_key(ref.key),
            Body=data,
            ContentType="application/octet-stream",
            ChecksumSHA256=base64.b64encode(hashlib.sha256(data).digest()).decode("ascii"),
        )
        return ref

    def get(self, key: str) -> bytes:
        object_key = self._object_key(key)
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=object_key)
        except ClientError as exc:
            if _error_code(exc) in _NOT_FOUND:
                raise BlobNotFound(key) from None
            raise
        body = response["Body"]
        try:
            data = body.read()
        finally:
            body.close()
        return verify_blob(key, data)

    def delete(self, key: str) -> None:
        # S3 DeleteObject succeeds for an absent key, which is the contract we want.
        self._client.delete_object(Bucket=self.bucket, Key=self._object_key(key))

    def exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self.bucket, Key=self._object_key(key))
        except ClientError as exc:
            if _error_code(exc) in _NOT_FOUND:
                return False
            raise
        return True

    def ensure_bucket(self) -> None:
        """Create the bucket if it does not exist (for development and tests)."""
        try:
            self._client.head_bucket(Bucket=self.bucket)
            return
        except ClientError as exc:
            if _error_code(exc) not in _NO_BUCKET:
                raise
        kwargs: dict[str, Any] = {"Bucket": self.bucket}
        if self.region_name and self.region_name != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self.region_name}
        try:
            self._client.create_bucket(**kwargs)
        except ClientError as exc:
            if _error_code(exc) not in {"BucketAlreadyOwnedByYou"}:
                raise

    def __repr__(self) -> str:
        return f"S3BlobStore(bucket={self.bucket!r}, prefix={self.prefix!r})"
