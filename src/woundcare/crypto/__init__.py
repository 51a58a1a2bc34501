"""Cryptography adapters: envelope encryption (AES-256-GCM), keyed search hashes, Argon2id
password/PIN hashing, and key material loading (with a development-only key file)."""

from woundcare.crypto.errors import (
    CryptoError,
    DecryptionError,
    DevKeyFileError,
    DuplicateKeyVersion,
    InvalidKeyMaterial,
    InvalidKeyVersion,
    InvalidPassword,
    InvalidPin,
    KeyMaterialError,
    MissingKeyMaterial,
    UnknownKeyVersion,
)

__all__ = [
    "CryptoError",
    "DecryptionError",
    "DevKeyFileError",
    "DuplicateKeyVersion",
    "InvalidKeyMaterial",
    "InvalidKeyVersion",
    "InvalidPassword",
    "InvalidPin",
    "KeyMaterialError",
    "MissingKeyMaterial",
    "UnknownKeyVersion",
]
