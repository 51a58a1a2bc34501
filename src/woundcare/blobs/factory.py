"""Choose the blob store from settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from woundcare.blobs.base import BlobStore
from woundcare.blobs.local import LocalBlobStore

if TYPE_CHECKING:
    from woundcare.config import Settings

BLOB_DIR_NAME = "blobs"


def blob_store_from_settings(settings: Settings) -> BlobStore:
    """``local`` (default): ``<data_dir>/blobs``; ``s3``: ``WOUNDCARE_S3_*`` settings.

    The S3 bucket is not created here; call :meth:`S3BlobStore.ensure_bucket` in dev/test.
    """
    backend = settings.blob_backend.strip().lower()
    if backend == "local":
        return LocalBlobStore(settings.data_dir / BLOB_DIR_NAME)
    if backend == "s3":
        from woundcare.blobs.s3 import S3BlobStore  # boto3 is only imported when used

        if not settings.s3_bucket:
            raise ValueError("WOUNDCARE_BLOB_BACKEND=s3 needs WOUNDCARE_S3_BUCKET.")
        return S3BlobStore.from_settings(settings)
    raise ValueError("WOUNDCARE_BLOB_BACKEND must be 'local' or 's3'.")
