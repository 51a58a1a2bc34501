"""The blind index's pure parts: normalisation, terms and query parsing."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from woundcare.crypto import blind_index as bi

KEY = bi.organisation_key(b"k" * 32, uuid4())


def test_name_tokens_fold_case_accents_hyphens_and_apostrophes() -> None:
    assert bi.name_tokens("Mary-Jane O'Néill") == ["mary", "jane", "oneill", "o", "neill"]
    assert bi.name_tokens("  ZOË  ") == ["zoe"]
    assert bi.name_tokens(None) == []
    assert bi.name_tokens("123") == []


def test_mrn_normalisation() -> None:
    assert bi.normalise_mrn(" zz-00 42 ") == "ZZ0042"
    assert bi.normalise_mrn(None) == ""


def test_terms_cover_prefixes_dates_and_mrn_ends_and_nothing_shorter() -> None:
    patient = bi.patient_keys("Testcase", None, "Sampleton", date(1951, 2, 3), "ZZ-0042")
    terms = bi.index_terms(KEY, patient)
    for kind, term in [("family", "sa"), ("family", "sampleton"), ("given", "te"),
                       ("dob", "1951-02-03"), ("dobyear", "1951"), ("mrnp", "ZZ0"),
                       ("mrns", "042"), ("mrns", "0042"), ("mrnp", "004"), ("mrn", "ZZ0042")]:
        assert bi.digest(KEY, kind, term) in terms, (kind, term)
    for kind, term in [("family", "s"), ("mrns", "42"), ("family", "ampleton")]:
        assert bi.digest(KEY, kind, term) not in terms, (kind, term)


def test_queries_are_one_group_per_word() -> None:
    groups = bi.query_digests(KEY, "samp 03/02/1951 zz-00")
    assert len(groups) == 3
    assert bi.digest(KEY, "family", "samp") in groups[0]
    assert groups[1] == {bi.digest(KEY, "dob", "1951-02-03")}
    assert bi.digest(KEY, "mrnp", "ZZ00") in groups[2]
    assert bi.query_digests(KEY, "  ") == []
    assert bi.query_digests(KEY, "31/02/1951")[0] != {bi.digest(KEY, "dob", "1951-02-31")}


def test_fingerprint_changes_only_with_searchable_facts() -> None:
    a = bi.patient_keys("A", None, "B", None, "X1")
    assert a.fingerprint() == bi.patient_keys("a", None, "b", None, "x-1").fingerprint()
    assert a.fingerprint() != bi.patient_keys("A", None, "C", None, "X1").fingerprint()


def test_the_organisation_key_needs_a_real_key() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        bi.organisation_key(b"short", uuid4())
