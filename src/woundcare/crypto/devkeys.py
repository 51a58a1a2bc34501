"""Key material from settings, with a development key file as fallback outside ``prod``.

The development key file (``<data_dir>/dev-keys.json``, mode 0600) holds random keys that
are generated on first use and stored IN PLAIN TEXT next to the data they protect. It exists
so that ``woundcare`` runs out of the box on a laptop with synthetic data. It is never used in
the ``prod`` profile: there, missing key settings are a hard error.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from woundcare.crypto.errors import (
    DevKeyFileError,
    DuplicateKeyVersion,
    InvalidKeyMaterial,
    MissingKeyMaterial,
)
from woundcare.crypto.keyring import (
    ACTIVE_KEY_SETTING,
    KEY_BYTES,
    LEGACY_KEYS_SETTING,
    KeyRing,
    OrgSigningKeys,
    decode_key,
    encode_key,
    parse_legacy_keys,
)

if TYPE_CHECKING:
    from pydantic import SecretStr

    from woundcare.config import Settings

logger = logging.getLogger(__name__)

DEV_KEY_FILE_NAME = "dev-keys.json"
DEV_KEK_VERSION = "dev1"
DEV_KEYS_WARNING = (
    "FOR DEVELOPMENT ONLY - NOT FOR REAL PATIENT DATA. These keys were generated "
    "automatically and are stored in plain text next to the data they protect; anyone who can "
    "read this file can decrypt everything. Never use them in production: configure "
    "FIELD_ENCRYPTION_KEY, WOUNDCARE_SEARCH_HMAC_KEY, WOUNDCARE_PIN_PEPPER and "
    "WOUNDCARE_AUDIT_HMAC_KEY from a secret store instead."
)
_FORMAT = 1

# Settings attribute -> environment variable an operator sets.
SETTING_NAMES: dict[str, str] = {
    "field_encryption_key": ACTIVE_KEY_SETTING,
    "search_hmac_key": "WOUNDCARE_SEARCH_HMAC_KEY",
    "pin_pepper": "WOUNDCARE_PIN_PEPPER",
    "audit_hmac_key": "WOUNDCARE_AUDIT_HMAC_KEY",
}


@dataclass(frozen=True)
class DevKeys:
    """Keys read from (or just written to) the development key file."""

    path: Path
    kek_version: str
    kek: bytes = field(repr=False)
    search_hmac_key: bytes = field(repr=False)
    pin_pepper: bytes = field(repr=False)
    audit_hmac_key: bytes = field(repr=False)

    def keyring(self) -> KeyRing:
        return KeyRing(self.kek_version, {self.kek_version: self.kek})


@dataclass(frozen=True)
class KeyMaterial:
    """Every key the application needs. ``dev_fallback`` names the settings (env var names)
    whose value came from the development key file (empty in a properly configured setup)."""

    keyring: KeyRing
    search_hmac_key: bytes = field(repr=False)
    pin_pepper: bytes = field(repr=False)
    audit_hmac_key: bytes = field(repr=False)
    dev_fallback: tuple[str, ...] = ()
    # Export signing masters (``WOUNDCARE_EXPORT_SIGNING_KEY``); None: derived from the KEKs.
    export_signing: OrgSigningKeys | None = field(default=None, repr=False)

    @property
    def signing(self) -> OrgSigningKeys:
        """Per-organisation export signing keys (see :class:`OrgSigningKeys`)."""
        return self.export_signing or OrgSigningKeys.from_keyring(self.keyring)


# --- development key file ------------------------------------------------------------------


def _generate(path: Path) -> DevKeys:
    return DevKeys(
        path=path,
        kek_version=DEV_KEK_VERSION,
        kek=os.urandom(KEY_BYTES),
        search_hmac_key=os.urandom(KEY_BYTES),
        pin_pepper=os.urandom(KEY_BYTES),
        audit_hmac_key=os.urandom(KEY_BYTES),
    )


def _serialise(keys: DevKeys) -> bytes:
    document = {
        "WARNING": DEV_KEYS_WARNING,
        "format": _FORMAT,
        "kek_version": keys.kek_version,
        "kek": encode_key(keys.kek),
        "search_hmac_key": encode_key(keys.search_hmac_key),
        "pin_pepper": encode_key(keys.pin_pepper),
        "audit_hmac_key": encode_key(keys.audit_hmac_key),
    }
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def _parse(path: Path, raw: bytes) -> DevKeys:
    try:
        document: Any = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DevKeyFileError(f"The development key file {path} is not valid JSON.") from None
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        raise DevKeyFileError(f"The development key file {path} has an unknown format.")

    def key(name: str) -> bytes:
        value = document.get(name)
        if not isinstance(value, str):
            raise DevKeyFileError(f"The development key file {path} has no {name!r}.")
        try:
            return decode_key(value, name=f"{name!r} in {path}")
        except InvalidKeyMaterial as exc:
            raise DevKeyFileError(str(exc)) from None

    version = document.get("kek_version")
    if not isinstance(version, str):
        raise DevKeyFileError(f"The development key file {path} has no 'kek_version'.")
    return DevKeys(
        path=path,
        kek_version=version,
        kek=key("kek"),
        search_hmac_key=key("search_hmac_key"),
        pin_pepper=key("pin_pepper"),
        audit_hmac_key=key("audit_hmac_key"),
    )


def _read(path: Path) -> DevKeys:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
        if mode & 0o077:
            logger.warning(
                "Development key file %s was readable by others (mode %o); restricting to 0600.",
                path,
                mode,
            )
            os.fchmod(handle.fileno(), 0o600)
        raw = handle.read()
    return _parse(path, raw)


def _create(path: Path) -> DevKeys | None:
    """Write a new key file; ``None`` if another process created one first (never overwrite:
    data may already be encrypted under the existing keys)."""
    keys = _generate(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".dev-keys-", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:  # mkstemp creates it 0600
            os.fchmod(handle.fileno(), 0o600)
            handle.write(_serialise(keys))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # atomic, and fails instead of replacing an existing file
        except FileExistsError:
            return None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    with contextlib.suppress(OSError):  # make the new directory entry durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return keys


def load_or_create_dev_keys(data_dir: Path) -> DevKeys:
    """Read ``data_dir/dev-keys.json``, creating it (mode 0600) with random keys if absent.

    FOR DEVELOPMENT ONLY: see :data:`DEV_KEYS_WARNING`.
    """
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = data_dir / DEV_KEY_FILE_NAME
    if not path.exists():
        created = _create(path)
        if created is not None:
            logger.warning("Created development key file %s. %s", path, DEV_KEYS_WARNING)
            return created
    return _read(path)


# --- key material from settings ------------------------------------------------------------


def _secret(value: SecretStr | None) -> str | None:
    if value is None:
        return None
    text = value.get_secret_value()
    return text if text.strip() else None


def load_key_material(settings: Settings) -> KeyMaterial:
    """Every key the application needs, from settings.

    * ``prod``: all four key settings are required; otherwise :class:`MissingKeyMaterial`
      naming the missing settings (names only).
    * ``dev`` / ``stage``: each missing key falls back to the development key file (created on
      first use), with a warning in the log naming the settings (never key material).

    Malformed configured keys always raise (a :class:`KeyMaterialError`), in every profile.
    """
    from woundcare.config import Profile  # local: keep crypto importable without settings

    configured = {attr: _secret(getattr(settings, attr)) for attr in SETTING_NAMES}
    missing = [SETTING_NAMES[attr] for attr, value in configured.items() if value is None]

    if missing and settings.profile == Profile.PROD:
        raise MissingKeyMaterial(missing)

    dev: DevKeys | None = None
    if missing:
        dev = load_or_create_dev_keys(settings.data_dir)
        logger.warning(
            "FOR DEVELOPMENT ONLY: profile %s has no %s; using keys from the development key "
            "file %s. Never use these keys for real patient data.",
            settings.profile.value,
            ", ".join(missing),
            dev.path,
        )

    def single(attr: str) -> bytes:
        value = configured[attr]
        if value is None:
            assert dev is not None
            return bytes(getattr(dev, attr))
        return decode_key(value, name=SETTING_NAMES[attr])

    active = configured["field_encryption_key"]
    legacy = _secret(settings.field_encryption_legacy_keys)
    if active is not None:
        keyring = KeyRing.from_config(active, settings.field_encryption_key_version, legacy)
    else:
        assert dev is not None
        keys = {dev.kek_version: dev.kek}
        for version, kek in parse_legacy_keys(legacy).items():
            if version in keys:
                raise DuplicateKeyVersion(
                    f"{LEGACY_KEYS_SETTING} lists the development key version {version!r}."
                )
            keys[version] = kek
        keyring = KeyRing(dev.kek_version, keys)

    signing_key = _secret(getattr(settings, "export_signing_key", None))
    export_signing = None
    if signing_key is not None:
        version = settings.export_signing_key_version
        export_signing = OrgSigningKeys(
            version, {version: decode_key(signing_key, name="WOUNDCARE_EXPORT_SIGNING_KEY")})
    return KeyMaterial(
        export_signing=export_signing,
        keyring=keyring,
        search_hmac_key=single("search_hmac_key"),
        pin_pepper=single("pin_pepper"),
        audit_hmac_key=single("audit_hmac_key"),
        dev_fallback=tuple(missing),
    )
