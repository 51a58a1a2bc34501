"""Errors raised by the cryptography adapters.

No message here ever contains key material, plaintext, ciphertext or a PIN/password: they
name the setting, the key version or the kind of problem, nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable


class CryptoError(Exception):
    """Base class for every error raised by :mod:`woundcare.crypto`."""


class KeyMaterialError(CryptoError, ValueError):
    """Key material is malformed (bad base64, wrong length, bad version label, duplicates)."""


class InvalidKeyMaterial(KeyMaterialError):
    """A key is not valid base64 or does not decode to the expected number of bytes."""


class DuplicateKeyVersion(KeyMaterialError):
    """The same key version label is configured more than once."""


class InvalidKeyVersion(KeyMaterialError):
    """A key version label is empty or contains characters outside ``[A-Za-z0-9._-]``."""


class UnknownKeyVersion(CryptoError, LookupError):
    """No key-encryption key with the requested version is configured."""

    def __init__(self, version: str) -> None:
        super().__init__(f"No key-encryption key with version {version!r} is configured.")
        self.version = version


class MissingKeyMaterial(CryptoError):
    """Required key settings are absent (raised in the ``prod`` profile; names only)."""

    def __init__(self, missing: Iterable[str]) -> None:
        self.missing: tuple[str, ...] = tuple(missing)
        super().__init__("Missing required key material; set: " + ", ".join(self.missing) + ".")


class DecryptionError(CryptoError):
    """A ciphertext could not be decrypted: wrong key, wrong context, or tampered.

    Deliberately carries no detail about which of those it was.
    """

    def __init__(self) -> None:
        super().__init__("The value could not be decrypted.")


class InvalidPin(CryptoError, ValueError):
    """A PIN does not have the required format (the PIN itself is never echoed)."""


class InvalidPassword(CryptoError, ValueError):
    """A password is empty or unreasonably long (the password itself is never echoed)."""


class DevKeyFileError(KeyMaterialError):
    """The development key file exists but cannot be used."""


class HashingBusy(CryptoError):
    """Every Argon2 slot stayed busy for the whole wait: the caller should retry later."""

    def __init__(self, retry_after: int = 1) -> None:
        super().__init__("password hashing is busy")
        self.retry_after = retry_after
