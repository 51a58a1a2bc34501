"""split_sentences: where sentences end, and what does not end one."""

from __future__ import annotations

import pytest

from woundcare.guardrail import split_sentences
from woundcare.guardrail.sentences import sentence_spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("   \n ", []),
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("No final stop", ["No final stop"]),
        (
            "Date of birth and age disagree; which one is correct?",
            ["Date of birth and age disagree; which one is correct?"],
        ),
        ("Temperature 37.9 \u00b0C. Pulse 88.", ["Temperature 37.9 \u00b0C.", "Pulse 88."]),
        ("Use e.g. a ruler. Then retake.", ["Use e.g. a ruler.", "Then retake."]),
        ("Seen by Dr. Example today. Fine.", ["Seen by Dr. Example today.", "Fine."]),
        ("Line one\nLine two\r\nLine three", ["Line one", "Line two", "Line three"]),
        ("1. Clean the wound.\n2. Apply honey.", ["1. Clean the wound.", "2. Apply honey."]),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
        ("Wait... what?! Really.", ["Wait...", "what?!", "Really."]),
        ("Version 2.0.1 is installed.", ["Version 2.0.1 is installed."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_spans_point_into_the_original_text() -> None:
    text = "  Apply honey.  Is it wet?\n\nYes "
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["Apply honey.", "Is it wet?", "Yes"]
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
