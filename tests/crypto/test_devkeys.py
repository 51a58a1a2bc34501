from __future__ import annotations

import base64
import json
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

import pytest
from pydantic import SecretStr

from woundcare.config import Settings
from woundcare.crypto.devkeys import (
    DEV_KEK_VERSION,
    DEV_KEY_FILE_NAME,
    DEV_KEYS_WARNING,
    KeyMaterial,
    load_key_material,
    load_or_create_dev_keys,
)
from woundcare.crypto.envelope import new_data_key, unwrap_data_key, wrap_data_key
from woundcare.crypto.errors import (
    DevKeyFileError,
    DuplicateKeyVersion,
    InvalidKeyMaterial,
    MissingKeyMaterial,
)

ALL_KEY_SETTINGS = (
    "FIELD_ENCRYPTION_KEY",
    "WOUNDCARE_SEARCH_HMAC_KEY",
    "WOUNDCARE_PIN_PEPPER",
    "WOUNDCARE_AUDIT_HMAC_KEY",
)


def b64key(raw: bytes | None = None) -> str:
    return base64.b64encode(raw if raw is not None else os.urandom(32)).decode("ascii")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _all_keys() -> dict[str, SecretStr]:
    return {
        "field_encryption_key": SecretStr(b64key()),
        "search_hmac_key": SecretStr(b64key()),
        "pin_pepper": SecretStr(b64key()),
        "audit_hmac_key": SecretStr(b64key()),
    }


# --- development key file -------------------------------------------------------------------


def test_warning_text_is_loud() -> None:
    assert "FOR DEVELOPMENT ONLY" in DEV_KEYS_WARNING
    assert "production" in DEV_KEYS_WARNING.lower()


def test_dev_key_file_created_once_and_reused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = load_or_create_dev_keys(data_dir)
    path = data_dir / DEV_KEY_FILE_NAME
    assert first.path == path
    assert path.is_file()
    assert _mode(path) == 0o600
    assert first.kek_version == DEV_KEK_VERSION == "dev1"
    keys = {first.kek, first.search_hmac_key, first.pin_pepper, first.audit_hmac_key}
    assert len(keys) == 4
    assert all(len(k) == 32 for k in keys)

    document = json.loads(path.read_text())
    assert "FOR DEVELOPMENT ONLY" in document["WARNING"]

    second = load_or_create_dev_keys(data_dir)
    assert second == first
    assert second.keyring().kek("dev1") == first.kek
    assert not [p for p in data_dir.iterdir() if p.name != DEV_KEY_FILE_NAME]  # no temp left


def test_dev_keys_repr_hides_material(tmp_path: Path) -> None:
    keys = load_or_create_dev_keys(tmp_path)
    text = repr(keys)
    for raw in (keys.kek, keys.search_hmac_key, keys.pin_pepper, keys.audit_hmac_key):
        assert b64key(raw) not in text
        assert raw.hex() not in text


def test_dev_key_file_permissions_tightened(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = load_or_create_dev_keys(tmp_path)
    first.path.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        again = load_or_create_dev_keys(tmp_path)
    assert again == first
    assert _mode(first.path) == 0o600
    assert "readable by others" in caplog.text


def test_corrupt_dev_key_file(tmp_path: Path) -> None:
    path = tmp_path / DEV_KEY_FILE_NAME
    path.write_text("{not json")
    with pytest.raises(DevKeyFileError, match="not valid JSON"):
        load_or_create_dev_keys(tmp_path)
    bad_kek = b64key(b"x" * 16)
    document = {
        "format": 1,
        "kek_version": "dev1",
        "kek": bad_kek,
        "search_hmac_key": b64key(),
        "pin_pepper": b64key(),
        "audit_hmac_key": b64key(),
    }
    path.write_text(json.dumps(document))
    with pytest.raises(DevKeyFileError, match="'kek'") as info:
        load_or_create_dev_keys(tmp_path)
    assert bad_kek not in str(info.value)


# --- load_key_material ----------------------------------------------------------------------


def test_dev_profile_falls_back_to_dev_file(
    tmp_path: Path, make_settings: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(profile="dev", data_dir=tmp_path)
    with caplog.at_level(logging.WARNING, logger="woundcare.crypto.devkeys"):
        material = load_key_material(settings)
    assert isinstance(material, KeyMaterial)
    assert material.dev_fallback == ALL_KEY_SETTINGS
    dev = load_or_create_dev_keys(tmp_path)
    assert material.keyring.active_version == "dev1"
    assert material.keyring.active_kek == dev.kek
    assert material.search_hmac_key == dev.search_hmac_key
    assert material.pin_pepper == dev.pin_pepper
    assert material.audit_hmac_key == dev.audit_hmac_key

    assert "FOR DEVELOPMENT ONLY" in caplog.text
    for raw in (dev.kek, dev.search_hmac_key, dev.pin_pepper, dev.audit_hmac_key):
        assert b64key(raw) not in caplog.text
    assert b64key(dev.kek) not in repr(material)

    # second start: same keys, so data encrypted before a restart stays readable
    again = load_key_material(settings)
    dek = new_data_key()
    case_id = uuid4()
    assert (
        unwrap_data_key(again.keyring, case_id, wrap_data_key(material.keyring, case_id, dek))
        == dek
    )


def test_stage_partial_fallback(tmp_path: Path, make_settings: Callable[..., Settings]) -> None:
    kek, pepper = os.urandom(32), os.urandom(32)
    settings = make_settings(
        profile="stage",
        data_dir=tmp_path,
        field_encryption_key=SecretStr(b64key(kek)),
        field_encryption_key_version="v3",
        pin_pepper=SecretStr(b64key(pepper)),
    )
    material = load_key_material(settings)
    assert material.dev_fallback == ("WOUNDCARE_SEARCH_HMAC_KEY", "WOUNDCARE_AUDIT_HMAC_KEY")
    assert material.keyring.active_version == "v3"
    assert material.keyring.active_kek == kek
    assert material.pin_pepper == pepper
    assert material.search_hmac_key == load_or_create_dev_keys(tmp_path).search_hmac_key


def test_fully_configured_uses_no_dev_file(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    values = _all_keys()
    old = os.urandom(32)
    settings = make_settings(
        profile="prod",
        data_dir=tmp_path,
        field_encryption_key_version="v2",
        field_encryption_legacy_keys=SecretStr(f"v1:{b64key(old)}"),
        **values,
    )
    material = load_key_material(settings)
    assert material.dev_fallback == ()
    assert material.keyring.versions == ("v2", "v1")
    assert material.keyring.kek("v1") == old
    assert material.pin_pepper == base64.b64decode(values["pin_pepper"].get_secret_value())
    assert not (tmp_path / DEV_KEY_FILE_NAME).exists()


def test_prod_without_keys_names_missing_settings(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings(profile="prod", data_dir=tmp_path)
    with pytest.raises(MissingKeyMaterial) as info:
        load_key_material(settings)
    assert info.value.missing == ALL_KEY_SETTINGS
    for name in ALL_KEY_SETTINGS:
        assert name in str(info.value)
    assert not (tmp_path / DEV_KEY_FILE_NAME).exists()


def test_prod_with_some_keys_names_only_the_missing(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    values = _all_keys()
    del values["audit_hmac_key"]
    configured = values["pin_pepper"].get_secret_value()
    settings = make_settings(profile="prod", data_dir=tmp_path, **values)
    with pytest.raises(MissingKeyMaterial) as info:
        load_key_material(settings)
    assert info.value.missing == ("WOUNDCARE_AUDIT_HMAC_KEY",)
    assert configured not in str(info.value)


def test_prod_blank_key_counts_as_missing(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    values = _all_keys()
    values["search_hmac_key"] = SecretStr("   ")
    with pytest.raises(MissingKeyMaterial, match="WOUNDCARE_SEARCH_HMAC_KEY"):
        load_key_material(make_settings(profile="prod", data_dir=tmp_path, **values))


def test_prod_reads_environment(
    tmp_path: Path, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    kek = os.urandom(32)
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", b64key(kek))
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY_VERSION", "v5")
    for name in ALL_KEY_SETTINGS[1:]:
        monkeypatch.setenv(name, b64key())
    monkeypatch.setenv("WOUNDCARE_PROFILE", "prod")
    monkeypatch.setenv("WOUNDCARE_DATA_DIR", str(tmp_path))
    material = load_key_material(make_settings())
    assert material.keyring.active_version == "v5"
    assert material.keyring.active_kek == kek


def test_malformed_key_raises_even_in_dev(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    bogus = b64key(b"z" * 20)
    settings = make_settings(profile="dev", data_dir=tmp_path, audit_hmac_key=SecretStr(bogus))
    with pytest.raises(InvalidKeyMaterial, match="WOUNDCARE_AUDIT_HMAC_KEY") as info:
        load_key_material(settings)
    assert bogus not in str(info.value)


def test_dev_legacy_keys_cannot_reuse_dev_version(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    settings = make_settings(
        profile="dev",
        data_dir=tmp_path,
        field_encryption_legacy_keys=SecretStr(f"dev1:{b64key()}"),
    )
    with pytest.raises(DuplicateKeyVersion):
        load_key_material(settings)


def test_concurrent_creation_never_overwrites(tmp_path: Path) -> None:
    """If another process wins the race to create the file, its keys are kept and used."""
    from woundcare.crypto import devkeys

    winner = load_or_create_dev_keys(tmp_path)
    before = winner.path.read_bytes()
    assert devkeys._create(winner.path) is None  # the loser's link fails; nothing replaced
    assert winner.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [DEV_KEY_FILE_NAME]
    assert load_or_create_dev_keys(tmp_path) == winner
