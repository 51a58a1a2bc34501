from __future__ import annotations

import base64
import os
from collections.abc import Callable

import pytest
from pydantic import SecretStr

from woundcare.config import Settings
from woundcare.crypto.errors import (
    DuplicateKeyVersion,
    InvalidKeyMaterial,
    InvalidKeyVersion,
    KeyMaterialError,
    MissingKeyMaterial,
    UnknownKeyVersion,
)
from woundcare.crypto.keyring import KeyRing, decode_key, parse_legacy_keys


def b64key(raw: bytes | None = None) -> str:
    return base64.b64encode(raw if raw is not None else os.urandom(32)).decode("ascii")


def test_active_and_legacy_keys() -> None:
    active, old, older = os.urandom(32), os.urandom(32), os.urandom(32)
    ring = KeyRing.from_config(b64key(active), "v2", f"v1:{b64key(old)}, v0:{b64key(older)},")
    assert ring.active_version == "v2"
    assert ring.active_kek == active
    assert ring.kek("v2") == active
    assert ring.kek("v1") == old
    assert ring.kek("v0") == older
    assert ring.versions == ("v2", "v1", "v0")
    assert "v1" in ring
    assert "v9" not in ring


def test_unknown_version_raises() -> None:
    ring = KeyRing.from_config(b64key(), "v1")
    with pytest.raises(UnknownKeyVersion) as info:
        ring.kek("v0")
    assert isinstance(info.value, LookupError)


def test_urlsafe_and_unpadded_base64_accepted() -> None:
    raw = b"\xfb\xff" * 16
    urlsafe = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    assert decode_key(urlsafe, name="X") == raw


def test_bad_base64_does_not_echo_value() -> None:
    bogus = "not*base64*ZZTESTSECRET"
    with pytest.raises(InvalidKeyMaterial) as info:
        KeyRing.from_config(bogus, "v1")
    assert isinstance(info.value, ValueError)
    assert "FIELD_ENCRYPTION_KEY" in str(info.value)
    assert bogus not in str(info.value)
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


@pytest.mark.parametrize("length", [0, 16, 31, 33, 64])
def test_wrong_length(length: int) -> None:
    material = b64key(b"\x01" * length) if length else "    "
    with pytest.raises(InvalidKeyMaterial) as info:
        KeyRing.from_config(material, "v1")
    if length:
        assert material not in str(info.value)
        assert "32 bytes" in str(info.value)


def test_legacy_entry_without_version() -> None:
    material = b64key()
    with pytest.raises(InvalidKeyMaterial, match="entry #1") as info:
        parse_legacy_keys(material)
    assert material not in str(info.value)


def test_legacy_bad_key_names_version_only() -> None:
    with pytest.raises(InvalidKeyMaterial, match="'v0'") as info:
        parse_legacy_keys(f"v1:{b64key()},v0:{b64key(b'x' * 20)}")
    assert "FIELD_ENCRYPTION_LEGACY_KEYS" in str(info.value)


def test_duplicate_legacy_versions() -> None:
    with pytest.raises(DuplicateKeyVersion):
        parse_legacy_keys(f"v1:{b64key()},v1:{b64key()}")


def test_legacy_duplicates_active() -> None:
    with pytest.raises(DuplicateKeyVersion) as info:
        KeyRing.from_config(b64key(), "v1", f"v1:{b64key()}")
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("version", ["", "v 1", "v1,", "v:1", "-v", "ü1"])
def test_bad_version_labels(version: str) -> None:
    with pytest.raises(InvalidKeyVersion):
        KeyRing.from_config(b64key(), version)


def test_all_parse_errors_are_value_errors() -> None:
    for exc_type in (InvalidKeyMaterial, DuplicateKeyVersion, InvalidKeyVersion):
        assert issubclass(exc_type, KeyMaterialError)
        assert issubclass(exc_type, ValueError)


def test_empty_legacy_spec() -> None:
    assert parse_legacy_keys(None) == {}
    assert parse_legacy_keys("") == {}
    assert parse_legacy_keys(" , ") == {}


def test_repr_has_no_key_material() -> None:
    raw = os.urandom(32)
    ring = KeyRing.from_config(b64key(raw), "v3")
    text = repr(ring)
    assert "v3" in text
    assert b64key(raw) not in text
    assert raw.hex() not in text


def test_direct_constructor_validates() -> None:
    with pytest.raises(InvalidKeyMaterial):
        KeyRing("v1", {"v1": b"short"})
    with pytest.raises(UnknownKeyVersion):
        KeyRing("v2", {"v1": os.urandom(32)})


def test_from_settings(make_settings: Callable[..., Settings]) -> None:
    active, old = os.urandom(32), os.urandom(32)
    settings = make_settings(
        field_encryption_key=SecretStr(b64key(active)),
        field_encryption_key_version="v7",
        field_encryption_legacy_keys=SecretStr(f"v6:{b64key(old)}"),
    )
    ring = KeyRing.from_settings(settings)
    assert ring.active_version == "v7"
    assert ring.kek("v6") == old


def test_from_settings_reads_environment(
    make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    active = os.urandom(32)
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", b64key(active))
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY_VERSION", "v2")
    ring = KeyRing.from_settings(make_settings())
    assert (ring.active_version, ring.active_kek) == ("v2", active)


def test_from_settings_missing(make_settings: Callable[..., Settings]) -> None:
    with pytest.raises(MissingKeyMaterial, match="FIELD_ENCRYPTION_KEY"):
        KeyRing.from_settings(make_settings())
