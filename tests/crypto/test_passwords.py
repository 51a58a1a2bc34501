from __future__ import annotations

import os

import pytest
from argon2 import Parameters, Type
from argon2.profiles import RFC_9106_LOW_MEMORY

from woundcare.crypto.errors import InvalidPassword, InvalidPin
from woundcare.crypto.passwords import (
    FAST_TEST_PARAMETERS,
    PRODUCTION_PARAMETERS,
    PasswordHasher,
    PinHasher,
    validate_pin,
)

PEPPER = b"\x42" * 32
SYNTHETIC_PASSWORD = "zz-test correct horse battery"
SYNTHETIC_PIN = "246810"


# --- passwords ------------------------------------------------------------------------------


def test_password_round_trip() -> None:
    hasher = PasswordHasher(fast=True)
    stored = hasher.hash(SYNTHETIC_PASSWORD)
    assert stored.startswith("$argon2id$")
    assert SYNTHETIC_PASSWORD not in stored
    assert hasher.verify(stored, SYNTHETIC_PASSWORD)
    assert not hasher.verify(stored, SYNTHETIC_PASSWORD + "!")
    assert not hasher.verify(stored, "")


def test_password_salted() -> None:
    hasher = PasswordHasher(fast=True)
    assert hasher.hash(SYNTHETIC_PASSWORD) != hasher.hash(SYNTHETIC_PASSWORD)


@pytest.mark.parametrize("bad_hash", ["", "not-a-hash", "$argon2id$v=19$m=8,t=1,p=1$xx$yy"])
def test_password_verify_never_raises_on_garbage(bad_hash: str) -> None:
    assert PasswordHasher(fast=True).verify(bad_hash, SYNTHETIC_PASSWORD) is False


def test_password_validation_does_not_echo() -> None:
    hasher = PasswordHasher(fast=True)
    with pytest.raises(InvalidPassword):
        hasher.hash("")
    long_password = "zz" * 600
    with pytest.raises(InvalidPassword) as info:
        hasher.hash(long_password)
    assert long_password not in str(info.value)


def test_password_needs_rehash() -> None:
    fast = PasswordHasher(fast=True)
    stored = fast.hash(SYNTHETIC_PASSWORD)
    assert not fast.needs_rehash(stored)
    stronger = Parameters(
        type=Type.ID,
        version=19,
        salt_len=16,
        hash_len=32,
        time_cost=2,
        memory_cost=16,
        parallelism=1,
    )
    assert PasswordHasher(parameters=stronger).needs_rehash(stored)
    assert PasswordHasher(fast=True).needs_rehash("garbage")


def test_default_parameters_are_production_grade() -> None:
    assert PRODUCTION_PARAMETERS == RFC_9106_LOW_MEMORY
    assert PasswordHasher().parameters == PRODUCTION_PARAMETERS
    assert PasswordHasher().parameters.type is Type.ID
    assert PasswordHasher(fast=True).parameters == FAST_TEST_PARAMETERS


def test_only_argon2id_accepted() -> None:
    argon2i = Parameters(
        type=Type.I,
        version=19,
        salt_len=16,
        hash_len=32,
        time_cost=1,
        memory_cost=8,
        parallelism=1,
    )
    with pytest.raises(ValueError, match="Argon2id"):
        PasswordHasher(parameters=argon2i)


@pytest.mark.slow
def test_production_parameters_work() -> None:
    hasher = PinHasher(PEPPER)
    stored = hasher.hash(SYNTHETIC_PIN)
    assert "m=65536,t=3,p=4" in stored
    assert hasher.verify(stored, SYNTHETIC_PIN)


# --- PINs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("pin", ["0000", "246810", "123456789012"])
def test_valid_pins(pin: str) -> None:
    validate_pin(pin)


@pytest.mark.parametrize(
    "pin", ["", "123", "1234567890123", "12a4", " 1234", "1234\n", "١٢٣٤", "12.4", "+1234"]
)
def test_invalid_pins_not_echoed(pin: str) -> None:
    with pytest.raises(InvalidPin) as info:
        validate_pin(pin)
    assert isinstance(info.value, ValueError)
    assert "4 to 12 digits" in str(info.value)
    if pin.strip():
        assert pin.strip() not in str(info.value)


def test_pin_round_trip() -> None:
    hasher = PinHasher(PEPPER, fast=True)
    stored = hasher.hash(SYNTHETIC_PIN)
    assert stored.startswith("$argon2id$")
    assert hasher.verify(stored, SYNTHETIC_PIN) is True
    assert hasher.verify(stored, "246811") is False
    assert hasher.verify(stored, "abc") is False  # bad format: False, not an exception
    assert hasher.verify("garbage", SYNTHETIC_PIN) is False


def test_pin_not_in_hash_string() -> None:
    hasher = PinHasher(PEPPER, fast=True)
    for pin in ("246810", "98765432", "000000000000"):
        stored = hasher.hash(pin)
        assert pin not in stored
        assert pin not in repr(hasher)


def test_pin_per_hash_salt() -> None:
    hasher = PinHasher(PEPPER, fast=True)
    a, b = hasher.hash(SYNTHETIC_PIN), hasher.hash(SYNTHETIC_PIN)
    assert a != b
    assert a.split("$")[4] != b.split("$")[4]  # the salt field differs


def test_pepper_matters() -> None:
    stored = PinHasher(PEPPER, fast=True).hash(SYNTHETIC_PIN)
    assert PinHasher(PEPPER, fast=True).verify(stored, SYNTHETIC_PIN)
    assert not PinHasher(os.urandom(32), fast=True).verify(stored, SYNTHETIC_PIN)


def test_unpeppered_argon2_does_not_verify_pin_hash() -> None:
    stored = PinHasher(PEPPER, fast=True).hash(SYNTHETIC_PIN)
    assert not PasswordHasher(fast=True).verify(stored, SYNTHETIC_PIN)


def test_pin_hash_rejects_bad_format() -> None:
    with pytest.raises(InvalidPin):
        PinHasher(PEPPER, fast=True).hash("12")


def test_pin_needs_rehash() -> None:
    stored = PinHasher(PEPPER, fast=True).hash(SYNTHETIC_PIN)
    assert not PinHasher(PEPPER, fast=True).needs_rehash(stored)
    assert PinHasher(PEPPER).needs_rehash(stored)


@pytest.mark.parametrize("pepper", [b"", b"short", b"\x00" * 31])
def test_pepper_must_be_strong(pepper: bytes) -> None:
    with pytest.raises(ValueError, match="pepper"):
        PinHasher(pepper, fast=True)


def test_pin_hasher_repr_hides_pepper() -> None:
    pepper = os.urandom(32)
    assert pepper.hex() not in repr(PinHasher(pepper, fast=True))
