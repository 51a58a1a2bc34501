"""The packaged corpus is large, well formed and split cleanly; the evaluation counts right;
the development part meets the goal (the held-out figure is reported, see the benchmark)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from woundcare.guardrail.evaluation import (
    PARTS,
    CorpusEntry,
    evaluate,
    evaluate_entries,
    format_report,
    load_corpus,
)

ADVICE_KINDS = {"diagnosis", "prognosis", "triage", "obligation", "imperative", "hedged",
                "negated", "question_advice", "non_english_advice", "broken_english"}
NEUTRAL_KINDS = {"report", "asked", "administrative", "photo_instruction", "neutral_question",
                 "documentation", "non_english_neutral"}


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[CorpusEntry]]:
    return {part: load_corpus(part) for part in PARTS}


def test_corpus_is_large_and_the_held_out_part_is_at_least_forty_percent(
    corpus: dict[str, list[CorpusEntry]],
) -> None:
    total = sum(len(entries) for entries in corpus.values())
    assert total >= 400
    assert len(corpus["heldout"]) / total >= 0.40


def test_parts_are_disjoint_and_free_of_duplicates(corpus: dict[str, list[CorpusEntry]]) -> None:
    dev = Counter(_key(e.text) for e in corpus["dev"])
    held = Counter(_key(e.text) for e in corpus["heldout"])
    assert not set(dev) & set(held)
    assert max(dev.values()) == 1
    assert max(held.values()) == 1


def test_every_entry_is_well_formed(corpus: dict[str, list[CorpusEntry]]) -> None:
    for part, entries in corpus.items():
        kinds = {e.kind for e in entries}
        assert kinds >= ADVICE_KINDS | NEUTRAL_KINDS, (part, (ADVICE_KINDS | NEUTRAL_KINDS) - kinds)
        for entry in entries:
            assert entry.text
            assert entry.text.strip() == entry.text
            assert entry.label in ("advice", "neutral")
            assert entry.part == part
            expected = "block" if entry.label == "advice" or entry.kind.startswith(
                "non_english") else "pass"
            assert entry.expect == expected, entry


def test_evaluation_counts_against_a_known_judge(corpus: dict[str, list[CorpusEntry]]) -> None:
    entries = corpus["dev"]
    everything = evaluate_entries(entries, "dev", judge=lambda _text: True)
    assert everything.advice_caught.rate == 1.0
    assert everything.neutral_passed.correct == 0
    assert everything.foreign_blocked.rate == 1.0
    nothing = evaluate_entries(entries, "dev", judge=lambda _text: False)
    assert nothing.advice_caught.correct == 0
    assert nothing.neutral_passed.rate == 1.0
    assert nothing.size == len(entries)
    assert sum(t.total for t in nothing.kinds.values()) == len(entries)
    text = format_report([nothing], show_misses=True)
    assert "[dev]" in text
    assert "wrong:" in text


def test_development_part_meets_the_goal() -> None:
    [dev] = evaluate(["dev"])
    assert dev.advice_caught.rate >= 0.98, dev.advice_caught.wrong
    assert dev.neutral_passed.rate >= 0.98, dev.neutral_passed.wrong
    assert dev.foreign_blocked.rate == 1.0, dev.foreign_blocked.wrong


def test_held_out_part_does_not_regress() -> None:
    """A floor under the measured held-out figures (rules are never changed to pass this test).

    The whole held-out part is 99.2 % advice / 99.4 % neutral, but it mixes batches whose
    misses earlier rounds saw. The clean figures are the fresh batches, each measured once
    before anything was tuned after it: batch 6 with the rules as they were (87.2 % advice /
    91.1 % neutral), batch 7 after the generalised rules and the classifier (95.5 % / 94.3 %);
    see :func:`test_latest_fresh_batch_does_not_regress`."""
    [held] = evaluate(["heldout"])
    assert held.advice_caught.rate >= 0.98, held.advice_caught.wrong
    assert held.neutral_passed.rate >= 0.98, held.neutral_passed.wrong
    assert held.foreign_blocked.rate == 1.0, held.foreign_blocked.wrong


def test_latest_fresh_batch_does_not_regress() -> None:
    """Held-out batch 7 was written after the last change to the rules and the classifier and
    measured once: 63/66 advice, 33/35 neutral, 5/5 other-language lines blocked. This is a
    regression floor, not the goal (98 %), which it does not reach."""
    entries = [e for e in load_corpus("heldout") if e.batch == "fresh7"]
    assert len(entries) >= 100
    report = evaluate_entries(entries, "heldout")
    assert report.advice_caught.correct >= 63, report.advice_caught.wrong
    assert report.neutral_passed.correct >= 33, report.neutral_passed.wrong
    assert report.foreign_blocked.rate == 1.0, report.foreign_blocked.wrong


def test_second_authors_fresh_batch_does_not_regress() -> None:
    """Held-out batch 8, written by a second author after the last rule change and measured
    once: 55/57 advice, 27/29 neutral, 3/3 other-language lines blocked (13 of its 102 lines
    were already in the corpus and were dropped; regression floor, below the 98 % goal)."""
    entries = [e for e in load_corpus("heldout") if e.batch == "fresh8"]
    assert len(entries) >= 85
    report = evaluate_entries(entries, "heldout")
    assert report.advice_caught.correct >= 55, report.advice_caught.wrong
    assert report.neutral_passed.correct >= 27, report.neutral_passed.wrong
    assert report.foreign_blocked.rate == 1.0, report.foreign_blocked.wrong


def test_classifier_is_trained_on_the_development_part_only() -> None:
    """The training script reads the dev part, the legacy corpus and the catalogue; the held-out
    part never (its text must not appear in the script's data sources)."""
    from pathlib import Path

    script = Path(__file__).parents[2] / "scripts" / "train_guardrail_classifier.py"
    source = script.read_text(encoding="utf-8")
    assert 'load_corpus("dev")' in source
    assert 'load_corpus("heldout")' not in source
