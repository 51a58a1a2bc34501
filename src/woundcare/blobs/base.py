"""Blob storage contract.

Stores hold opaque bytes that the caller has ALREADY encrypted
(:func:`woundcare.crypto.envelope.encrypt_blob`); a store never sees plaintext. Blobs are
content-addressed: the key is the lower-case hex SHA-256 of the stored bytes, so ``put`` is
idempotent and ``get`` can verify integrity. Because every encryption uses a fresh random
nonce under a per-case key, two artifacts never share a ciphertext, so ``delete`` of one
artifact's key cannot remove another artifact's blob.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = [
    "BlobError",
    "BlobIntegrityError",
    "BlobNotFound",
    "BlobRef",
    "BlobStore",
    "InvalidBlobKey",
    "blob_key_for",
    "validate_blob_key",
    "verify_blob",
]

_KEY_RE = re.compile(r"[0-9a-f]{64}")


class BlobError(Exception):
    """Base class for blob storage errors."""


class BlobNotFound(BlobError, LookupError):
    def __init__(self, key: str) -> None:
        super().__init__(f"Blob {key} does not exist.")
        self.key = key


class BlobIntegrityError(BlobError):
    """The stored bytes no longer match their SHA-256 key (corruption or tampering)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"Blob {key} failed its integrity check.")
        self.key = key


class InvalidBlobKey(BlobError, ValueError):
    def __init__(self) -> None:
        super().__init__("A blob key must be 64 lower-case hexadecimal characters (SHA-256).")


@dataclass(frozen=True, slots=True)
class BlobRef:
    key: str  # hex SHA-256 of the stored bytes; also the address
    size: int
    sha256: str

    @classmethod
    def for_data(cls, data: bytes) -> BlobRef:
        digest = hashlib.sha256(data).hexdigest()
        return cls(key=digest, size=len(data), sha256=digest)


def blob_key_for(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def validate_blob_key(key: str) -> str:
    """Return ``key`` if it is a well-formed SHA-256 hex key (also rules out path tricks)."""
    if not isinstance(key, str) or not _KEY_RE.fullmatch(key):
        raise InvalidBlobKey()
    return key


def verify_blob(key: str, data: bytes) -> bytes:
    if blob_key_for(data) != key:
        raise BlobIntegrityError(key)
    return data


@runtime_checkable
class BlobStore(Protocol):
    def put(self, data: bytes) -> BlobRef:
        """Store ``data`` (already encrypted); idempotent."""
        ...

    def get(self, key: str) -> bytes:
        """The stored bytes; ``BlobNotFound`` if absent, ``BlobIntegrityError`` if corrupt."""
        ...

    def delete(self, key: str) -> None:
        """Remove the blob; deleting an absent blob is not an error."""
        ...

    def exists(self, key: str) -> bool: ...
