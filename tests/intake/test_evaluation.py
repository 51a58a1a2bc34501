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


def test_corpora_are_large_enough_and_split() -> None:
    development = load_corpus(HERE / "recall" / "development.json")
    heldout = load_corpus(HERE / "recall" / "heldout.json")
    assert len(development) + len(heldout) >= 120
    assert len(heldout) / (len(development) + len(heldout)) >= 0.40
    assert not {c["text"] for c in development} & {c["text"] for c in heldout}


def test_the_goals_hold_on_both_parts() -> None:
    for part in ("development", "heldout"):
        total = score_corpus(load_corpus(HERE / "recall" / f"{part}.json")).total
        assert total.precision >= 0.99, part
        assert total.recall >= 0.90, part


def test_no_injection_or_negation_case_changes_the_record() -> None:
    cases = json.loads((HERE / "consent_cases.json").read_text())
    lines = injection_report(cases)
    assert all("record consent changed by text 0 " in line for line in lines)
    assert all("proposal differs from label 0;" in line for line in lines)
