"""How well the guardrail does on its labelled corpus, per part and per kind.

The corpus ships with the package (``guardrail/corpus/*.jsonl``), one JSON object a line:
``text``, ``label`` (``advice`` or ``neutral``), ``kind`` (diagnosis, report, photo
instruction, ...) and ``expect`` (``block`` or ``pass``). Advice is always expected to be
blocked; neutral English text to pass; neutral text in another language to be blocked (the
guardrail fails closed on text it cannot judge).

Two parts: ``heldout`` was written first and no rule is tuned on it; ``dev`` is what the
rules were developed against. :func:`evaluate` gives the figures the benchmark prints. Held-out
lines with ``"batch": "fresh"`` … ``"fresh7"`` were written after the held-out part was first
measured (and never tuned on either); the benchmark reports each batch on its own too.
Development lines may carry ``"batch": "dev12"`` … ``"dev20"`` (batches measured before
tuning on them, ``"dev18b"`` and ``"dev19b"`` included; the benchmark prints dev15-dev20 on
their own). The held-out part must stay at least 40 % of the corpus (a test), so the
development part cannot grow past 1.5 times it.
The second-opinion classifier (:mod:`.classifier`) is trained on the development part only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Literal

from woundcare.guardrail.checker import check_text

Part = Literal["dev", "heldout"]
PARTS: tuple[Part, ...] = ("dev", "heldout")


@dataclass(frozen=True)
class CorpusEntry:
    text: str
    label: Literal["advice", "neutral"]
    kind: str
    expect: Literal["block", "pass"]
    part: Part
    batch: str = ""  # "fresh", "fresh2": held-out lines written after a held-out measurement


def load_corpus(part: Part) -> list[CorpusEntry]:
    """Every entry of one part of the corpus, in file order."""
    raw = files("woundcare.guardrail").joinpath("corpus", f"{part}.jsonl").read_text("utf-8")
    entries = []
    for line in raw.splitlines():
        if not line.strip():
            continue
        data = json.loads(line)
        entries.append(CorpusEntry(data["text"], data["label"], data["kind"], data["expect"],
                                   part, data.get("batch", "")))
    return entries


@dataclass
class Tally:
    """How many entries were expected to be blocked/passed and how many were."""

    total: int = 0
    correct: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.correct / self.total if self.total else 1.0


@dataclass
class PartReport:
    part: Part
    advice_caught: Tally = field(default_factory=Tally)
    neutral_passed: Tally = field(default_factory=Tally)
    foreign_blocked: Tally = field(default_factory=Tally)
    kinds: dict[str, Tally] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return self.advice_caught.total + self.neutral_passed.total + self.foreign_blocked.total


Judge = Callable[[str], bool]
"""Returns whether a text is blocked (the guardrail did not allow it unchanged)."""


def guardrail_blocks(text: str) -> bool:
    return not check_text(text).allowed


def evaluate_entries(entries: Iterable[CorpusEntry], part: Part,
                     judge: Judge = guardrail_blocks) -> PartReport:
    report = PartReport(part)
    for entry in entries:
        blocked = judge(entry.text)
        correct = blocked == (entry.expect == "block")
        if entry.label == "advice":
            tally = report.advice_caught
        elif entry.expect == "pass":
            tally = report.neutral_passed
        else:
            tally = report.foreign_blocked
        for bucket in (tally, report.kinds.setdefault(entry.kind, Tally())):
            bucket.total += 1
            bucket.correct += correct
            if not correct:
                bucket.wrong.append(entry.text)
    return report


def evaluate(parts: Iterable[Part] = PARTS, judge: Judge = guardrail_blocks) -> list[PartReport]:
    """The figures for each part of the corpus."""
    return [evaluate_entries(load_corpus(part), part, judge) for part in parts]


def format_report(reports: Iterable[PartReport], *, show_misses: bool = False) -> str:
    """A plain-text table: overall figures per part, then per kind."""
    lines: list[str] = []
    for r in reports:
        lines.append(
            f"[{r.part}] {r.size} sentences: advice caught {r.advice_caught.correct}/"
            f"{r.advice_caught.total} ({r.advice_caught.rate:.1%}); neutral passed "
            f"{r.neutral_passed.correct}/{r.neutral_passed.total} "
            f"({r.neutral_passed.rate:.1%}); other-language neutral blocked "
            f"{r.foreign_blocked.correct}/{r.foreign_blocked.total} "
            f"({r.foreign_blocked.rate:.1%})"
        )
        for kind, tally in sorted(r.kinds.items()):
            lines.append(f"    {kind:<22} {tally.correct:>3}/{tally.total:<3} ({tally.rate:.0%})")
            if show_misses:
                lines.extend(f"        wrong: {text}" for text in tally.wrong)
    return "\n".join(lines)
