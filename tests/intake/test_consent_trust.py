"""Consent in text is only ever a proposal: instruction-like text is not read for consent
(and is reported), a negation stays in its clause, "not discussed" records nothing, and the
latest of several statements is proposed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from woundcare.intake import parse_free_text
from woundcare.intake.consent import is_instruction_like

TODAY = date(2025, 6, 15)
CASES: dict[str, list[dict[str, Any]]] = json.loads(
    (Path(__file__).parent / "consent_cases.json").read_text()
)


def _consent(text: str) -> dict[str, str]:
    result = parse_free_text(text, today=TODAY)
    return {k: v.value for k, v in result.consent.model_dump().items() if v is not None}


def test_enough_cases() -> None:
    assert len(CASES["injection"]) + len(CASES["negation"]) >= 30


@pytest.mark.parametrize("case", CASES["injection"], ids=[c["id"] for c in CASES["injection"]])
def test_injection_is_not_read_for_consent_and_is_reported(case: dict[str, Any]) -> None:
    result = parse_free_text(case["text"], today=TODAY)
    consent = {k: v.value for k, v in result.consent.model_dump().items() if v is not None}
    assert consent == case["consent"]
    assert result.suspicious_instruction is True
    assert any("instruction" in note for note in result.notes)


@pytest.mark.parametrize("case", CASES["negation"], ids=[c["id"] for c in CASES["negation"]])
def test_negation_hedges_and_order(case: dict[str, Any]) -> None:
    result = parse_free_text(case["text"], today=TODAY)
    consent = {k: v.value for k, v in result.consent.model_dump().items() if v is not None}
    assert consent == case["consent"]
    assert result.suspicious_instruction is False


@pytest.mark.parametrize("text", [
    "Name: Alma Testcase\nDOB: 1944-03-12\nPatient consents to photos.",
    "Photos: yes, Data storage: no",
    "BP 120/80, HR 72. Agrees to data storage.",
    "Patient was told that photos help the team track healing; she agreed.",
])
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert not is_instruction_like(text)
    assert parse_free_text(text, today=TODAY).suspicious_instruction is False


def test_mixed_statements_are_noted() -> None:
    result = parse_free_text("Declined photos in May. Agreed to photos in June.", today=TODAY)
    assert result.consent.photography is not None
    assert result.consent.photography.value == "granted"
    assert any("latest" in note for note in result.notes)
