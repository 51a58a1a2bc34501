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
    see :func:`test_fresh_batch_does_not_regress`."""
    [held] = evaluate(["heldout"])
    assert held.advice_caught.rate >= 0.98, held.advice_caught.wrong
    assert held.neutral_passed.rate >= 0.98, held.neutral_passed.wrong
    assert held.foreign_blocked.rate == 1.0, held.foreign_blocked.wrong


# Regression floors of the fresh held-out batches, each measured once and never tuned on; not
# the goal (98 %), which they do not reach. Batch 7 was written after the last change to the
# rules and the classifier; batches 8 and 9 by a second author (lines already in the corpus
# were dropped: 13 of 102 and 3 of 84). Batch 8 was measured at 55/57 and 27/29 before two of
# its misses prompted the round-15 changes; batch 9 was written after them.
FRESH_FLOORS = [  # batch, at least lines, advice caught, neutral passed
    ("fresh7", 100, 63, 35),
    ("fresh8", 85, 56, 28),
    ("fresh9", 80, 52, 25),
    # Written by an author who never opened the project, before round 16; measured once
    # after it (before round 16 the same code path caught 89/91 and passed 42/44).
    ("fresh10", 140, 91, 44),
    # A second blind author in other voices (handovers, podiatry, care homes, GP letters,
    # family texts), written during round 17, measured once after it (round 16: 78/89, 48/53).
    ("fresh11", 148, 85, 50),
    # A third blind author (burns, paediatrics, diabetic foot, the app's own messages), written
    # during round 18, committed before its one measurement after it (round 17: 94/97, 81/86).
    ("fresh12", 188, 96, 86),
    # A fourth blind author (a tester's view of both directions), written before round 19,
    # committed before its one measurement after it (round 17: 88/89, 72/76; round 18: 88/89,
    # 73/76).
    ("fresh13", 170, 88, 75),
]


@pytest.mark.parametrize(("batch", "size", "advice", "neutral"), FRESH_FLOORS,
                         ids=[f[0] for f in FRESH_FLOORS])
def test_fresh_batch_does_not_regress(batch: str, size: int, advice: int, neutral: int) -> None:
    entries = [e for e in load_corpus("heldout") if e.batch == batch]
    assert len(entries) >= size
    report = evaluate_entries(entries, "heldout")
    assert report.advice_caught.correct >= advice, report.advice_caught.wrong
    assert report.neutral_passed.correct >= neutral, report.neutral_passed.wrong
    assert report.foreign_blocked.rate == 1.0, report.foreign_blocked.wrong


def test_classifier_is_trained_on_the_development_part_only() -> None:
    """The training script reads the dev part, the legacy corpus and the catalogue; the held-out
    part never (its text must not appear in the script's data sources)."""
    from pathlib import Path

    script = Path(__file__).parents[2] / "scripts" / "train_guardrail_classifier.py"
    source = script.read_text(encoding="utf-8")
    assert 'load_corpus("dev")' in source
    assert 'load_corpus("heldout")' not in source
