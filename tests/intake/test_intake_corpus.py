"""Corpus of synthetic intake texts with their exact expected output."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from woundcare.intake import ParsedIntake, parse_free_text

TODAY = date(2025, 6, 15)
CORPUS: list[dict[str, Any]] = json.loads((Path(__file__).parent / "corpus.json").read_text())


def _plain(result: ParsedIntake) -> dict[str, object]:
    return {
        f.path: f.value.isoformat() if isinstance(f.value, date) else f.value for f in result.fields
    }


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 40
    assert len({case["id"] for case in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=[c["id"] for c in CORPUS])
def test_corpus_case(case: dict[str, Any]) -> None:
    text: str = case["text"]
    result = parse_free_text(text, date_locale=case.get("locale"), today=TODAY)

    assert _plain(result) == case["fields"]
    consent = {k: v.value for k, v in result.consent.model_dump().items() if v is not None}
    assert consent == case.get("consent", {})
    ambiguities = {a.path: list(a.candidates) for a in result.ambiguities}
    assert ambiguities == case.get("ambiguities", {})
    for fragment in case.get("notes_contain", []):
        assert any(fragment.lower() in note.lower() for note in result.notes), result.notes
    for field in result.fields:
        assert field.source == "rules"
        start, end = field.span
        assert 0 <= start < end <= len(text)
