"""Blob storage for already-encrypted artifacts (local filesystem or S3-compatible)."""

from woundcare.blobs.base import (
    BlobError,
    BlobIntegrityError,
    BlobNotFound,
    BlobRef,
    BlobStore,
    InvalidBlobKey,
)
from woundcare.blobs.factory import blob_store_from_settings
from woundcare.blobs.local import LocalBlobStore

__all__ = [
    "BlobError",
    "BlobIntegrityError",
    "BlobNotFound",
    "BlobRef",
    "BlobStore",
    "InvalidBlobKey",
    "LocalBlobStore",
    "blob_store_from_settings",
]
