"""Envelope encryption with AES-256-GCM.

Each case has its own random 256-bit data-encryption key (DEK). The DEK is stored only
wrapped (encrypted) under a versioned key-encryption key (KEK) from the :class:`KeyRing`.
Every value gets a fresh random 96-bit nonce; with one DEK per case the number of
encryptions per key stays far below the 2**32 random-nonce limit for GCM.

Associated data (authenticated, not stored) binds each ciphertext to its context, so a
ciphertext copied elsewhere fails to decrypt:

* wrapped DEK: purpose ``dek`` + case id + KEK version
* field token: purpose ``field`` + case id + field path
* blob: purpose ``blob`` + case id + artifact id

Formats
-------
* field token: ``"wc1." + base64url(nonce || ciphertext || tag)`` without padding (ASCII)
* wrapped key: :class:`WrappedKey` (``version``, ``blob`` = base64url(nonce || ct || tag))
* blob: ``b"WCB1" + nonce + ciphertext + tag``

Every failure to decrypt raises :class:`DecryptionError` without any detail.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from woundcare.crypto.errors import DecryptionError
from woundcare.crypto.keyring import KeyRing

__all__ = [
    "BLOB_MAGIC",
    "DEK_BYTES",
    "FIELD_TOKEN_PREFIX",
    "NONCE_BYTES",
    "CaseCipher",
    "DecryptionError",
    "WrappedKey",
    "decrypt_blob",
    "decrypt_field",
    "encrypt_blob",
    "encrypt_field",
    "is_field_token",
    "new_data_key",
    "rewrap",
    "unwrap_data_key",
    "wrap_data_key",
]

DEK_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
FIELD_TOKEN_PREFIX = "wc1."  # noqa: S105 - a format marker, not a secret
BLOB_MAGIC = b"WCB1"

# Domain-separation labels; each ends in NUL so no label is a prefix of another's data.
_AAD_DEK = b"woundcare/dek/v1\x00"
_AAD_FIELD = b"woundcare/field/v1\x00"
_AAD_BLOB = b"woundcare/blob/v1\x00"


@dataclass(frozen=True, slots=True)
class WrappedKey:
    """A DEK encrypted under the KEK named by ``version`` (store both; neither is secret)."""

    version: str
    blob: str


def new_data_key() -> bytes:
    """A fresh random 256-bit data-encryption key."""
    return os.urandom(DEK_BYTES)


# --- helpers -------------------------------------------------------------------------------


def _check_key(key: bytes, what: str = "data key") -> None:
    if not isinstance(key, bytes | bytearray) or len(key) != DEK_BYTES:
        raise ValueError(f"The {what} must be exactly {DEK_BYTES} bytes.")


def _case_bytes(case_id: UUID) -> bytes:
    if not isinstance(case_id, UUID):
        raise TypeError("case_id must be a uuid.UUID")
    return case_id.bytes  # fixed 16 bytes, so what follows needs no length prefix


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(bytes(key)).encrypt(nonce, plaintext, aad)


def _open(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    if len(sealed) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError()
    try:
        return AESGCM(bytes(key)).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
    except InvalidTag:
        raise DecryptionError() from None


def _b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    if not isinstance(text, str) or not text.isascii():
        raise DecryptionError()
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError() from None


def _dek_aad(case_id: UUID, version: str) -> bytes:
    return _AAD_DEK + _case_bytes(case_id) + version.encode("utf-8")


def _field_aad(case_id: UUID, field_path: str) -> bytes:
    if not isinstance(field_path, str) or not field_path:
        raise ValueError("field_path must be a non-empty string")
    return _AAD_FIELD + _case_bytes(case_id) + field_path.encode("utf-8", "surrogatepass")


def _blob_aad(case_id: UUID, artifact_id: UUID | str) -> bytes:
    artifact = str(artifact_id)
    if not artifact:
        raise ValueError("artifact_id must not be empty")
    return _AAD_BLOB + _case_bytes(case_id) + artifact.encode("utf-8", "surrogatepass")


# --- data keys -----------------------------------------------------------------------------


def wrap_data_key(keyring: KeyRing, case_id: UUID, dek: bytes) -> WrappedKey:
    """Encrypt ``dek`` under the active KEK, bound to ``case_id`` and the KEK version."""
    _check_key(dek)
    version = keyring.active_version
    sealed = _seal(keyring.kek(version), bytes(dek), _dek_aad(case_id, version))
    return WrappedKey(version=version, blob=_b64e(sealed))


def unwrap_data_key(keyring: KeyRing, case_id: UUID, wrapped: WrappedKey) -> bytes:
    """Recover a DEK. Raises :class:`UnknownKeyVersion` if the KEK version is not configured,
    :class:`DecryptionError` if the wrapped key is tampered or belongs to another case."""
    kek = keyring.kek(wrapped.version)
    dek = _open(kek, _b64d(wrapped.blob), _dek_aad(case_id, wrapped.version))
    if len(dek) != DEK_BYTES:
        raise DecryptionError()
    return dek


def rewrap(keyring: KeyRing, case_id: UUID, wrapped: WrappedKey) -> WrappedKey:
    """Re-wrap a DEK under the active KEK (the DEK itself is unchanged).

    The wrapped key is always unwrapped first (so a damaged one is detected); if it is already
    under the active version it is returned unchanged.
    """
    dek = unwrap_data_key(keyring, case_id, wrapped)
    if wrapped.version == keyring.active_version:
        return wrapped
    return wrap_data_key(keyring, case_id, dek)


# --- fields --------------------------------------------------------------------------------


def is_field_token(value: object) -> bool:
    """Whether ``value`` looks like a field token (format check only, no decryption)."""
    return isinstance(value, str) and value.startswith(FIELD_TOKEN_PREFIX)


def encrypt_field(dek: bytes, case_id: UUID, field_path: str, plaintext: str) -> str:
    """Encrypt a text value into a compact ASCII token bound to ``case_id`` + ``field_path``."""
    _check_key(dek)
    if not isinstance(plaintext, str):
        raise TypeError("plaintext must be a str")
    aad = _field_aad(case_id, field_path)
    return FIELD_TOKEN_PREFIX + _b64e(_seal(dek, plaintext.encode("utf-8", "surrogatepass"), aad))


def decrypt_field(dek: bytes, case_id: UUID, field_path: str, token: str) -> str:
    """Decrypt a token from :func:`encrypt_field`; any mismatch raises ``DecryptionError``."""
    _check_key(dek)
    aad = _field_aad(case_id, field_path)
    if not is_field_token(token):
        raise DecryptionError()
    plaintext = _open(dek, _b64d(token[len(FIELD_TOKEN_PREFIX) :]), aad)
    try:
        return plaintext.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:  # pragma: no cover - authenticated, so only on a format bug
        raise DecryptionError() from None


# --- blobs ---------------------------------------------------------------------------------


def encrypt_blob(dek: bytes, case_id: UUID, artifact_id: UUID | str, data: bytes) -> bytes:
    """Encrypt an artifact (e.g. a sanitised photo) bound to ``case_id`` + ``artifact_id``."""
    _check_key(dek)
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("data must be bytes")
    return BLOB_MAGIC + _seal(dek, bytes(data), _blob_aad(case_id, artifact_id))


def decrypt_blob(dek: bytes, case_id: UUID, artifact_id: UUID | str, data: bytes) -> bytes:
    _check_key(dek)
    aad = _blob_aad(case_id, artifact_id)
    if not isinstance(data, bytes | bytearray | memoryview):
        raise DecryptionError()
    raw = bytes(data)
    if not raw.startswith(BLOB_MAGIC):
        raise DecryptionError()
    return _open(dek, raw[len(BLOB_MAGIC) :], aad)


# --- convenience ---------------------------------------------------------------------------


class CaseCipher:
    """Field and blob encryption bound to one case's DEK."""

    __slots__ = ("_dek", "case_id")

    def __init__(self, dek: bytes, case_id: UUID) -> None:
        _check_key(dek)
        _case_bytes(case_id)
        self._dek = bytes(dek)
        self.case_id = case_id

    @classmethod
    def new(cls, keyring: KeyRing, case_id: UUID) -> tuple[CaseCipher, WrappedKey]:
        """A cipher with a fresh DEK, plus that DEK wrapped for storage."""
        dek = new_data_key()
        return cls(dek, case_id), wrap_data_key(keyring, case_id, dek)

    @classmethod
    def unwrap(cls, keyring: KeyRing, case_id: UUID, wrapped: WrappedKey) -> CaseCipher:
        return cls(unwrap_data_key(keyring, case_id, wrapped), case_id)

    def wrap(self, keyring: KeyRing) -> WrappedKey:
        return wrap_data_key(keyring, self.case_id, self._dek)

    def encrypt_field(self, field_path: str, plaintext: str) -> str:
        return encrypt_field(self._dek, self.case_id, field_path, plaintext)

    def decrypt_field(self, field_path: str, token: str) -> str:
        return decrypt_field(self._dek, self.case_id, field_path, token)

    def encrypt_blob(self, artifact_id: UUID | str, data: bytes) -> bytes:
        return encrypt_blob(self._dek, self.case_id, artifact_id, data)

    def decrypt_blob(self, artifact_id: UUID | str, data: bytes) -> bytes:
        return decrypt_blob(self._dek, self.case_id, artifact_id, data)

    def __repr__(self) -> str:  # never the key
        return f"CaseCipher(case_id={self.case_id!s})"
