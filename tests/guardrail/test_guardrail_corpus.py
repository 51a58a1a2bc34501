"""The labelled corpus: every line must be classified as labelled, with its category."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from woundcare.guardrail import NEUTRAL_POINTER, AdviceCategory, check_text

CORPUS = Path(__file__).with_name("corpus.jsonl")


def load_corpus() -> list[dict[str, Any]]:
    with CORPUS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


ENTRIES = load_corpus()
ADVICE = [e for e in ENTRIES if e["advice"]]
NEUTRAL = [e for e in ENTRIES if not e["advice"]]


def test_corpus_is_large_balanced_and_well_formed() -> None:
    assert len(ENTRIES) >= 120
    assert len(ADVICE) >= 55
    assert len(NEUTRAL) >= 55
    texts = [e["text"] for e in ENTRIES]
    assert len(texts) == len(set(texts)), "duplicate corpus lines"
    for entry in ENTRIES:
        assert set(entry) == {"text", "advice", "category"}
        assert isinstance(entry["text"], str)
        assert entry["text"].strip()
        if entry["advice"]:
            assert entry["category"] in {c.value for c in AdviceCategory}
        else:
            assert entry["category"] is None
    # Every category is exercised (triage and unjudgeable text are in the package corpus,
    # tests/guardrail/test_guardrail_evaluation.py).
    newer = {AdviceCategory.TRIAGE.value, AdviceCategory.UNJUDGEABLE.value}
    assert {e["category"] for e in ADVICE} == {c.value for c in AdviceCategory} - newer


def test_every_corpus_line_is_classified_correctly() -> None:
    true_pos = false_pos = false_neg = true_neg = 0
    wrong: list[str] = []
    for entry in ENTRIES:
        verdict = check_text(entry["text"])
        flagged = not verdict.allowed
        if entry["advice"] and flagged:
            true_pos += 1
        elif entry["advice"]:
            false_neg += 1
            wrong.append(f"missed advice: {entry['text']!r}")
        elif flagged:
            false_pos += 1
            rules = [f.rule for f in verdict.findings]
            wrong.append(f"false positive: {entry['text']!r} by {rules}")
        else:
            true_neg += 1
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0
    assert not wrong, (
        f"precision {precision:.3f}, recall {recall:.3f} "
        f"(tp={true_pos} fp={false_pos} fn={false_neg} tn={true_neg})\n" + "\n".join(wrong)
    )


@pytest.mark.parametrize("entry", ADVICE, ids=lambda e: e["text"][:40])
def test_advice_line_is_replaced_by_the_pointer_with_its_category(entry: dict[str, Any]) -> None:
    verdict = check_text(entry["text"])
    assert not verdict.allowed
    assert verdict.text == NEUTRAL_POINTER
    assert AdviceCategory(entry["category"]) in verdict.categories
    assert all(f.sentence == entry["text"] for f in verdict.findings)


@pytest.mark.parametrize("entry", NEUTRAL, ids=lambda e: e["text"][:40])
def test_neutral_line_comes_back_byte_identical(entry: dict[str, Any]) -> None:
    verdict = check_text(entry["text"])
    assert verdict.allowed
    assert verdict.findings == ()
    assert verdict.text is entry["text"] or verdict.text == entry["text"]
    assert verdict.text.encode() == entry["text"].encode()
