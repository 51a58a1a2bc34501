from __future__ import annotations

import hashlib
import os

import pytest

from woundcare.crypto.search_hash import mrn_search_hash, normalise_mrn

KEY = b"\x11" * 32


@pytest.mark.parametrize(
    "variant",
    [
        "ZZTEST001",
        "zz-test 001",
        " zztest001 ",
        "ZZ-TEST-001",
        "zz test\t001",
        "\uff5a\uff5a\u2013\uff54\uff45\uff53\uff54\uff10\uff10\uff11",  # full-width, en dash
    ],
)
def test_normalised_variants_match(variant: str) -> None:
    assert normalise_mrn(variant) == "ZZTEST001"
    assert mrn_search_hash(KEY, variant) == mrn_search_hash(KEY, "ZZTEST001")


def test_different_mrns_differ() -> None:
    assert mrn_search_hash(KEY, "ZZTEST001") != mrn_search_hash(KEY, "ZZTEST002")


def test_hex_output() -> None:
    digest = mrn_search_hash(KEY, "ZZTEST001")
    assert len(digest) == 64
    int(digest, 16)
    assert digest == digest.lower()


def test_different_keys_give_different_hashes() -> None:
    assert mrn_search_hash(os.urandom(32), "ZZTEST001") != mrn_search_hash(
        os.urandom(32), "ZZTEST001"
    )


def test_is_not_a_plain_hash() -> None:
    digest = mrn_search_hash(KEY, "ZZTEST001")
    for algorithm in ("sha256", "sha3_256", "blake2s"):
        assert digest != hashlib.new(algorithm, b"ZZTEST001").hexdigest()
    assert "ZZTEST001" not in digest


@pytest.mark.parametrize("key", [b"", b"short", b"\x00" * 31])
def test_rejects_weak_keys(key: bytes) -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        mrn_search_hash(key, "ZZTEST001")


@pytest.mark.parametrize("mrn", ["", "   ", "- -"])
def test_rejects_empty_mrn(mrn: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        mrn_search_hash(KEY, mrn)
