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


# --- per-organisation signing keys (export signatures) ------------------------------------

_SIGNING_SALT = b"woundcare/org-signing/v1\x00"
_SIGNING_FROM_KEK = b"woundcare/export-signing-master/v1\x00"


class OrgSigningKeys:
    """Per-organisation ECDSA P-256 signing keys for exports, derived from master secrets.

    Each organisation's key is derived (HKDF-SHA256, bound to the organisation id) from a
    versioned 32-byte master secret, so no key table is needed and a key can be re-derived to
    verify an old export as long as its master version stays configured. The key id names the
    organisation and the master version: ``<organisation id>/<version>``.

    Masters come from ``WOUNDCARE_EXPORT_SIGNING_KEY`` (version
    ``WOUNDCARE_EXPORT_SIGNING_KEY_VERSION``); without it they are derived from the KEKs of the
    key ring (version ``kek-<KEK version>``), so a rotation keeps old signatures verifiable while
    the old KEK stays configured as a legacy key.
    """

    __slots__ = ("_active", "_masters")

    def __init__(self, active_version: str, masters: Mapping[str, bytes]) -> None:
        validate_version(active_version)
        if active_version not in masters:
            raise UnknownKeyVersion(active_version)
        for version, master in masters.items():
            validate_version(version)
            if not isinstance(master, bytes) or len(master) != KEY_BYTES:
                raise InvalidKeyMaterial("An export signing master key must be 32 bytes.")
        self._active = active_version
        self._masters = dict(masters)

    @classmethod
    def from_keyring(cls, keyring: KeyRing) -> OrgSigningKeys:
        from cryptography.hazmat.primitives import hashes, hmac

        masters = {}
        for version in keyring.versions:
            mac = hmac.HMAC(keyring.kek(version), hashes.SHA256())
            mac.update(_SIGNING_FROM_KEK)
            masters[f"kek-{version}"] = mac.finalize()
        return cls(f"kek-{keyring.active_version}", masters)

    @property
    def active_version(self) -> str:
        return self._active

    def active_kid(self, organisation_id: object) -> str:
        return f"{organisation_id}/{self._active}"

    def private_key(self, kid: str) -> object:
        """The ECDSA P-256 private key (a ``cryptography`` key object) for ``kid``."""
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        organisation, sep, version = kid.rpartition("/")
        if not sep or not organisation:
            raise UnknownKeyVersion(kid)
        master = self._masters.get(version)
        if master is None:
            raise UnknownKeyVersion(version)
        order = int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)
        material = HKDF(algorithm=hashes.SHA256(), length=48, salt=_SIGNING_SALT,
                        info=organisation.encode("utf-8")).derive(master)
        scalar = int.from_bytes(material, "big") % (order - 1) + 1
        return ec.derive_private_key(scalar, ec.SECP256R1())

    def __repr__(self) -> str:  # never the key material
        return f"OrgSigningKeys(active_version={self._active!r})"
