from __future__ import annotations

import base64
import dataclasses
import os
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from woundcare.crypto.envelope import (
    BLOB_MAGIC,
    FIELD_TOKEN_PREFIX,
    CaseCipher,
    WrappedKey,
    decrypt_blob,
    decrypt_field,
    encrypt_blob,
    encrypt_field,
    is_field_token,
    new_data_key,
    rewrap,
    unwrap_data_key,
    wrap_data_key,
)
from woundcare.crypto.errors import DecryptionError, UnknownKeyVersion
from woundcare.crypto.keyring import KeyRing

CASE_A = UUID("00000000-0000-4000-8000-00000000aaaa")
CASE_B = UUID("00000000-0000-4000-8000-00000000bbbb")
SYNTHETIC_NAME = "ZZTEST Patient-Alpha"
PATH_NAME = "bio.full_name"
PATH_MRN = "bio.mrn"


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _flip(token: str, index: int) -> str:
    """Flip one bit of the decoded token body at byte ``index``."""
    body = bytearray(_b64url_decode(token[len(FIELD_TOKEN_PREFIX) :]))
    body[index] ^= 0x01
    return FIELD_TOKEN_PREFIX + _b64url_encode(bytes(body))


@pytest.fixture
def dek() -> bytes:
    return new_data_key()


@pytest.fixture
def ring() -> KeyRing:
    return KeyRing("v1", {"v1": os.urandom(32)})


# --- data keys ------------------------------------------------------------------------------


def test_new_data_key_is_random_32_bytes() -> None:
    a, b = new_data_key(), new_data_key()
    assert len(a) == len(b) == 32
    assert a != b


def test_wrap_unwrap_round_trip(ring: KeyRing, dek: bytes) -> None:
    wrapped = wrap_data_key(ring, CASE_A, dek)
    assert wrapped.version == "v1"
    assert wrapped.blob.isascii()
    assert dek.hex() not in wrapped.blob
    assert unwrap_data_key(ring, CASE_A, wrapped) == dek


def test_wrapping_is_randomised(ring: KeyRing, dek: bytes) -> None:
    assert wrap_data_key(ring, CASE_A, dek) != wrap_data_key(ring, CASE_A, dek)


def test_wrapped_key_moved_to_another_case_fails(ring: KeyRing, dek: bytes) -> None:
    wrapped = wrap_data_key(ring, CASE_A, dek)
    with pytest.raises(DecryptionError):
        unwrap_data_key(ring, CASE_B, wrapped)


def test_wrapped_key_relabelled_version_fails(dek: bytes) -> None:
    kek = os.urandom(32)
    ring = KeyRing("v2", {"v2": kek, "v1": kek})  # same KEK under two labels
    wrapped = wrap_data_key(ring, CASE_A, dek)
    with pytest.raises(DecryptionError):
        unwrap_data_key(ring, CASE_A, dataclasses.replace(wrapped, version="v1"))


def test_wrapped_key_tampered_fails(ring: KeyRing, dek: bytes) -> None:
    wrapped = wrap_data_key(ring, CASE_A, dek)
    raw = bytearray(_b64url_decode(wrapped.blob))
    for index in (0, 12, len(raw) - 1):  # nonce, ciphertext, tag
        damaged = bytearray(raw)
        damaged[index] ^= 0x80
        bad = WrappedKey(wrapped.version, _b64url_encode(bytes(damaged)))
        with pytest.raises(DecryptionError):
            unwrap_data_key(ring, CASE_A, bad)


@pytest.mark.parametrize("blob", ["", "@@@@", "YWJj", "é"])
def test_wrapped_key_garbage_fails(ring: KeyRing, blob: str) -> None:
    with pytest.raises(DecryptionError):
        unwrap_data_key(ring, CASE_A, WrappedKey("v1", blob))


def test_wrong_kek_fails(dek: bytes) -> None:
    wrapped = wrap_data_key(KeyRing("v1", {"v1": os.urandom(32)}), CASE_A, dek)
    with pytest.raises(DecryptionError):
        unwrap_data_key(KeyRing("v1", {"v1": os.urandom(32)}), CASE_A, wrapped)


def test_unknown_version_on_unwrap(ring: KeyRing, dek: bytes) -> None:
    wrapped = wrap_data_key(ring, CASE_A, dek)
    other = KeyRing("v2", {"v2": os.urandom(32)})
    with pytest.raises(UnknownKeyVersion):
        unwrap_data_key(other, CASE_A, wrapped)


def test_rewrap_to_new_active_version_keeps_dek(dek: bytes) -> None:
    old_kek, new_kek = os.urandom(32), os.urandom(32)
    before = KeyRing("v1", {"v1": old_kek})
    after = KeyRing("v2", {"v2": new_kek, "v1": old_kek})
    wrapped_v1 = wrap_data_key(before, CASE_A, dek)

    wrapped_v2 = rewrap(after, CASE_A, wrapped_v1)

    assert wrapped_v2.version == "v2"
    assert unwrap_data_key(after, CASE_A, wrapped_v2) == dek
    # once v1 is retired, the rewrapped key still opens
    assert unwrap_data_key(KeyRing("v2", {"v2": new_kek}), CASE_A, wrapped_v2) == dek
    # and rewrapping something already current is a verified no-op
    assert rewrap(after, CASE_A, wrapped_v2) == wrapped_v2


def test_rewrap_detects_foreign_case(dek: bytes, ring: KeyRing) -> None:
    wrapped = wrap_data_key(ring, CASE_A, dek)
    with pytest.raises(DecryptionError):
        rewrap(ring, CASE_B, wrapped)


def test_wrap_rejects_bad_dek(ring: KeyRing) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        wrap_data_key(ring, CASE_A, b"short")


# --- fields ---------------------------------------------------------------------------------


def test_field_round_trip(dek: bytes) -> None:
    token = encrypt_field(dek, CASE_A, PATH_NAME, SYNTHETIC_NAME)
    assert token.startswith("wc1.")
    assert token.isascii()
    assert "=" not in token
    assert SYNTHETIC_NAME not in token
    assert is_field_token(token)
    assert not is_field_token(SYNTHETIC_NAME)
    assert decrypt_field(dek, CASE_A, PATH_NAME, token) == SYNTHETIC_NAME


def test_field_encryption_is_randomised(dek: bytes) -> None:
    a = encrypt_field(dek, CASE_A, PATH_NAME, SYNTHETIC_NAME)
    b = encrypt_field(dek, CASE_A, PATH_NAME, SYNTHETIC_NAME)
    assert a != b


def test_empty_string_round_trip(dek: bytes) -> None:
    token = encrypt_field(dek, CASE_A, PATH_NAME, "")
    assert decrypt_field(dek, CASE_A, PATH_NAME, token) == ""


def test_field_token_moved_to_another_case_fails(dek: bytes) -> None:
    token = encrypt_field(dek, CASE_A, PATH_NAME, SYNTHETIC_NAME)
    with pytest.raises(DecryptionError):
        decrypt_field(dek, CASE_B, PATH_NAME, token)


def test_field_token_moved_to_another_field_fails(dek: bytes) -> None:
    token = encrypt_field(dek, CASE_A, PATH_NAME, SYNTHETIC_NAME)
    with pytest.raises(DecryptionError):
        decrypt_field(dek, CASE_A, PATH_MRN, token)


def test_field_with_wrong_dek_fails(dek: bytes) -> None:
    token = encrypt_field(dek, CASE_A, PATH_NAME, SYNTHETIC_NAME)
    with pytest.raises(DecryptionError):
        decrypt_field(new_data_key(), CASE_A, PATH_NAME, token)


@pytest.mark.parametrize("index", [0, 11, 12, -1], ids=["nonce0", "nonce11", "ct0", "tag"])
def test_tampered_field_token_fails(dek: bytes, index: int) -> None:
    token = encrypt_field(dek, CASE_A, PATH_NAME, SYNTHETIC_NAME)
    with pytest.raises(DecryptionError):
        decrypt_field(dek, CASE_A, PATH_NAME, _flip(token, index))


def test_truncated_and_extended_tokens_fail(dek: bytes) -> None:
    token = encrypt_field(dek, CASE_A, PATH_NAME, SYNTHETIC_NAME)
    for bad in (token[:-4], token + "AAAA", token[:10], "wc1.", "wc2." + token[4:], token[4:]):
        with pytest.raises(DecryptionError):
            decrypt_field(dek, CASE_A, PATH_NAME, bad)


def test_decryption_error_has_no_detail(dek: bytes) -> None:
    token = encrypt_field(dek, CASE_A, PATH_NAME, SYNTHETIC_NAME)
    with pytest.raises(DecryptionError) as info:
        decrypt_field(dek, CASE_B, PATH_NAME, token)
    assert str(info.value) == "The value could not be decrypted."
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_field_path_is_required(dek: bytes) -> None:
    with pytest.raises(ValueError, match="field_path"):
        encrypt_field(dek, CASE_A, "", SYNTHETIC_NAME)


@settings(max_examples=200, deadline=None)
@given(plaintext=st.text(), field_path=st.text(min_size=1, max_size=64))
def test_field_round_trip_property(plaintext: str, field_path: str) -> None:
    dek = new_data_key()
    token = encrypt_field(dek, CASE_A, field_path, plaintext)
    assert token.isascii()
    assert decrypt_field(dek, CASE_A, field_path, token) == plaintext


@settings(max_examples=50, deadline=None)
@given(plaintext=st.text(), a=st.text(min_size=1, max_size=16), b=st.text(min_size=1, max_size=16))
def test_field_path_binding_property(plaintext: str, a: str, b: str) -> None:
    dek = new_data_key()
    token = encrypt_field(dek, CASE_A, a, plaintext)
    if a != b:
        with pytest.raises(DecryptionError):
            decrypt_field(dek, CASE_A, b, token)


# --- blobs ----------------------------------------------------------------------------------


def test_blob_round_trip(dek: bytes) -> None:
    artifact = uuid4()
    data = b"\x89PNG synthetic test bytes " + os.urandom(64)
    sealed = encrypt_blob(dek, CASE_A, artifact, data)
    assert sealed.startswith(BLOB_MAGIC)
    assert data not in sealed
    assert decrypt_blob(dek, CASE_A, artifact, sealed) == data
    assert decrypt_blob(dek, CASE_A, str(artifact), sealed) == data


def test_blob_bound_to_case_and_artifact(dek: bytes) -> None:
    artifact = uuid4()
    sealed = encrypt_blob(dek, CASE_A, artifact, b"synthetic")
    with pytest.raises(DecryptionError):
        decrypt_blob(dek, CASE_B, artifact, sealed)
    with pytest.raises(DecryptionError):
        decrypt_blob(dek, CASE_A, uuid4(), sealed)


def test_tampered_blob_fails(dek: bytes) -> None:
    artifact = uuid4()
    sealed = encrypt_blob(dek, CASE_A, artifact, b"synthetic image bytes")
    for index in (0, len(BLOB_MAGIC), len(BLOB_MAGIC) + 12, len(sealed) - 1):
        damaged = bytearray(sealed)
        damaged[index] ^= 0x01
        with pytest.raises(DecryptionError):
            decrypt_blob(dek, CASE_A, artifact, bytes(damaged))
    with pytest.raises(DecryptionError):
        decrypt_blob(dek, CASE_A, artifact, sealed[:20])


def test_blob_and_field_contexts_are_separate(dek: bytes) -> None:
    token = encrypt_field(dek, CASE_A, PATH_NAME, "synthetic")
    body = _b64url_decode(token[len(FIELD_TOKEN_PREFIX) :])
    with pytest.raises(DecryptionError):
        decrypt_blob(dek, CASE_A, PATH_NAME, BLOB_MAGIC + body)


# --- CaseCipher -----------------------------------------------------------------------------


def test_case_cipher(ring: KeyRing) -> None:
    cipher, wrapped = CaseCipher.new(ring, CASE_A)
    token = cipher.encrypt_field(PATH_NAME, SYNTHETIC_NAME)
    sealed = cipher.encrypt_blob("artifact-1", b"synthetic")

    reopened = CaseCipher.unwrap(ring, CASE_A, wrapped)
    assert reopened.decrypt_field(PATH_NAME, token) == SYNTHETIC_NAME
    assert reopened.decrypt_blob("artifact-1", sealed) == b"synthetic"
    assert unwrap_data_key(ring, CASE_A, reopened.wrap(ring)) == unwrap_data_key(
        ring, CASE_A, wrapped
    )
    with pytest.raises(DecryptionError):
        CaseCipher.unwrap(ring, CASE_B, wrapped)


def test_case_cipher_repr_hides_key(dek: bytes) -> None:
    cipher = CaseCipher(dek, CASE_A)
    assert dek.hex() not in repr(cipher)
    assert str(CASE_A) in repr(cipher)
