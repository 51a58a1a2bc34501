"""The intake measurements: scoring rules, and the figures the issue sets as goals."""

from __future__ import annotations

import json
from pathlib import Path

from woundcare.intake.evaluation import (
    injection_report,
    load_corpus,
    percentile,
    score_corpus,
)

HERE = Path(__file__).parent


def test_scoring_counts_wrong_values_against_precision_and_questions_for_recall() -> None:
    cases = [
        {"id": "a", "text": "Name: Testy Testcase\nAge: 70", "fields": {
            "patient.first_name": "Testy", "patient.last_name": "Other", "patient.age": 70}},
        {"id": "b", "text": "DOB 03/04/1961", "fields": {},
         "ambiguous": ["patient.date_of_birth"]},
        {"id": "c", "text": "MRN ZZ-1", "fields": {"patient.mrn": "ZZ-1",
                                                  "patient.sex": "female"}},
    ]
    score = score_corpus(cases)
    assert score.of("patient.last_name").precision == 0.0
    assert score.of("patient.first_name").precision == 1.0
    assert score.of("patient.date_of_birth").recall == 1.0  # asked, not guessed
    assert score.of("patient.sex").recall == 0.0
    total = score.total
    assert (total.returned, total.correct, total.expected, total.found) == (4, 3, 6, 4)
    assert ("a", "patient.last_name", "wrong value") in score.misses


def test_percentile() -> None:
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 90) == 4.0
    assert percentile([], 50) == 0.0


HELD_OUT = ("heldout", "heldout_names")


def test_corpora_are_large_enough_and_split() -> None:
    development = load_corpus(HERE / "recall" / "development.json")
    heldout = [c for part in HELD_OUT for c in load_corpus(HERE / "recall" / f"{part}.json")]
    assert len(development) + len(heldout) >= 120
    assert len(heldout) / (len(development) + len(heldout)) >= 0.40
    assert not {c["text"] for c in development} & {c["text"] for c in heldout}
    ids = [c["id"] for c in development + heldout]
    assert len(ids) == len(set(ids))


def test_the_goals_hold_on_every_part() -> None:
    for part in ("development", *HELD_OUT):
        total = score_corpus(load_corpus(HERE / "recall" / f"{part}.json")).total
        assert total.precision >= 0.99, part
        assert total.recall >= 0.90, part


def test_names_on_the_names_batch() -> None:
    """Measured before the issue-9 name rules: first name recall 0.891, precision 0.983; last
    name recall 0.875, precision 0.966."""
    score = score_corpus(load_corpus(HERE / "recall" / "heldout_names.json"))
    for path in ("patient.first_name", "patient.last_name"):
        assert score.of(path).precision >= 0.98, path
        assert score.of(path).recall >= 0.95, path


def test_no_injection_or_negation_case_changes_the_record() -> None:
    cases = json.loads((HERE / "consent_cases.json").read_text())
    lines = injection_report(cases)
    assert all("record consent changed by text 0 " in line for line in lines)
    assert all("proposal differs from label 0;" in line for line in lines)
