"""Key-encryption keys (KEKs) by version.

The active KEK wraps new data keys; legacy KEKs stay readable during a rotation so existing
wrapped data keys can be unwrapped and re-wrapped (see :func:`woundcare.crypto.envelope.rewrap`).

Keys are configured as standard (or URL-safe) base64 of exactly 32 random bytes::

    FIELD_ENCRYPTION_KEY=<base64>          FIELD_ENCRYPTION_KEY_VERSION=v2
    FIELD_ENCRYPTION_LEGACY_KEYS=v1:<base64>,v0:<base64>
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from woundcare.crypto.errors import (
    DuplicateKeyVersion,
    InvalidKeyMaterial,
    InvalidKeyVersion,
    MissingKeyMaterial,
    UnknownKeyVersion,
)

if TYPE_CHECKING:
    from woundcare.config import Settings

KEY_BYTES = 32
_VERSION_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")

ACTIVE_KEY_SETTING = "FIELD_ENCRYPTION_KEY"
LEGACY_KEYS_SETTING = "FIELD_ENCRYPTION_LEGACY_KEYS"


def decode_key(value: str, *, name: str, length: int = KEY_BYTES) -> bytes:
    """Decode base64 key material (standard or URL-safe alphabet, padding optional).

    ``name`` identifies the key in error messages; the value itself is never echoed.
    """
    text = "".join(value.split())  # tolerate whitespace/newlines from secret stores
    if not text:
        raise InvalidKeyMaterial(f"{name} is empty.")
    if not text.isascii():
        raise InvalidKeyMaterial(f"{name} is not valid base64.")
    text = text.replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidKeyMaterial(f"{name} is not valid base64.") from None
    if len(raw) != length:
        raise InvalidKeyMaterial(f"{name} must decode to exactly {length} bytes (got {len(raw)}).")
    return raw


def encode_key(raw: bytes) -> str:
    """Standard base64 (with padding), the format :func:`decode_key` reads."""
    return base64.b64encode(raw).decode("ascii")


def validate_version(version: str) -> str:
    if not isinstance(version, str) or not _VERSION_RE.fullmatch(version):
        raise InvalidKeyVersion(
            "A key version must be 1-64 characters of letters, digits, '.', '_' or '-', "
            "starting with a letter or digit."
        )
    return version


def parse_legacy_keys(spec: str | None) -> dict[str, bytes]:
    """Parse ``"v1:BASE64,v0:BASE64"``; empty entries (e.g. a trailing comma) are ignored."""
    keys: dict[str, bytes] = {}
    if spec is None:
        return keys
    for position, entry in enumerate(spec.split(","), start=1):
        entry = entry.strip()
        if not entry:
            continue
        version, sep, material = entry.partition(":")
        if not sep:
            raise InvalidKeyMaterial(
                f"{LEGACY_KEYS_SETTING} entry #{position} is not of the form VERSION:BASE64."
            )
        version = version.strip()
        validate_version(version)
        if version in keys:
            raise DuplicateKeyVersion(
                f"{LEGACY_KEYS_SETTING} lists key version {version!r} more than once."
            )
        keys[version] = decode_key(
            material, name=f"{LEGACY_KEYS_SETTING} entry for version {version!r}"
        )
    return keys


class KeyRing:
    """Immutable set of KEKs by version, one of which is active."""

    __slots__ = ("_active_version", "_keys")

    def __init__(self, active_version: str, keys: Mapping[str, bytes]) -> None:
        validate_version(active_version)
        checked: dict[str, bytes] = {}
        for version, kek in keys.items():
            validate_version(version)
            if not isinstance(kek, bytes) or len(kek) != KEY_BYTES:
                raise InvalidKeyMaterial(
                    f"The key-encryption key for version {version!r} must be "
                    f"exactly {KEY_BYTES} bytes."
                )
            checked[version] = bytes(kek)
        if active_version not in checked:
            raise UnknownKeyVersion(active_version)
        self._active_version = active_version
        self._keys: Mapping[str, bytes] = checked

    @classmethod
    def from_config(
        cls, active_key: str, active_version: str, legacy_keys: str | None = None
    ) -> KeyRing:
        """Build from the configured strings (base64 active key, version, legacy spec)."""
        validate_version(active_version)
        keys = {active_version: decode_key(active_key, name=ACTIVE_KEY_SETTING)}
        for version, kek in parse_legacy_keys(legacy_keys).items():
            if version in keys:
                raise DuplicateKeyVersion(
                    f"Key version {version!r} is both the active version and listed in "
                    f"{LEGACY_KEYS_SETTING}."
                )
            keys[version] = kek
        return cls(active_version, keys)

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyRing:
        """Build from :class:`~woundcare.config.Settings`; no development fallback here
        (that is :func:`woundcare.crypto.devkeys.load_key_material`)."""
        if settings.field_encryption_key is None:
            raise MissingKeyMaterial([ACTIVE_KEY_SETTING])
        legacy = settings.field_encryption_legacy_keys
        return cls.from_config(
            settings.field_encryption_key.get_secret_value(),
            settings.field_encryption_key_version,
            legacy.get_secret_value() if legacy is not None else None,
        )

    @property
    def active_version(self) -> str:
        return self._active_version

    @property
    def active_kek(self) -> bytes:
        return self._keys[self._active_version]

    @property
    def versions(self) -> tuple[str, ...]:
        """All configured versions, the active one first."""
        others = [v for v in self._keys if v != self._active_version]
        return (self._active_version, *others)

    def kek(self, version: str) -> bytes:
        try:
            return self._keys[version]
        except KeyError:
            raise UnknownKeyVersion(version) from None

    def __contains__(self, version: object) -> bool:
        return version in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self.versions)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:  # never the key material
        return f"KeyRing(active_version={self._active_version!r}, versions={self.versions!r})"
