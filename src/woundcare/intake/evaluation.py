"""Measuring the intake parser on labelled corpora (used by ``benchmarks/text_trust.py``).

Scoring, per field path:

* a **value** the parser returns is correct when it equals the label exactly (names as
  written, dates as ISO strings, phones as digits); a value that is not labelled, or differs
  from the label, is a false positive (an invented or wrong value);
* an **expected item** is a labelled value, or a labelled ambiguity (the text cannot decide,
  so the right output is a follow-up question and no value); it is found when the parser
  returns that value, or returns a question and no value for an ambiguous label.

Precision = correct values / values returned; recall = expected items found / expected
items. Questions are not values, so an extra question costs recall, never precision.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from woundcare.intake.dates import DateLocale
from woundcare.intake.models import PATIENT_PATHS, ParsedIntake

EVAL_TODAY = date(2025, 6, 15)

Parser = Callable[[str, str | None], ParsedIntake]


@dataclass
class FieldScore:
    returned: int = 0
    correct: int = 0
    expected: int = 0
    found: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.returned if self.returned else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


@dataclass
class CorpusScore:
    fields: dict[str, FieldScore] = field(default_factory=dict)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (case id, path, kind)

    def of(self, path: str) -> FieldScore:
        return self.fields.setdefault(path, FieldScore())

    @property
    def total(self) -> FieldScore:
        out = FieldScore()
        for s in self.fields.values():
            out.returned += s.returned
            out.correct += s.correct
            out.expected += s.expected
            out.found += s.found
        return out


def load_corpus(path: Path) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return cases


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def default_parser(text: str, locale: str | None) -> ParsedIntake:
    from woundcare.intake.freetext import parse_free_text

    loc: DateLocale | None = "dmy" if locale == "dmy" else "mdy" if locale == "mdy" else None
    return parse_free_text(text, date_locale=loc, today=EVAL_TODAY)


def score_corpus(cases: Iterable[dict[str, Any]], parser: Parser = default_parser) -> CorpusScore:
    score = CorpusScore()
    for case in cases:
        result = parser(case["text"], case.get("locale"))
        got = {f.path: _plain(f.value) for f in result.fields}
        asked = {a.path for a in result.ambiguities}
        expected: dict[str, object] = case.get("fields", {})
        ambiguous: set[str] = set(case.get("ambiguous", []))
        for path in PATIENT_PATHS:
            s = score.of(path)
            if path in got:
                s.returned += 1
                if path in expected and got[path] == expected[path]:
                    s.correct += 1
                else:
                    score.misses.append((case["id"], path, "wrong value"))
            if path in expected:
                s.expected += 1
                if got.get(path) == expected[path]:
                    s.found += 1
                elif path not in got:
                    score.misses.append((case["id"], path, "missed"))
            elif path in ambiguous:
                s.expected += 1
                if path in asked and path not in got:
                    s.found += 1
                elif path not in got:
                    score.misses.append((case["id"], path, "no question"))
    return score


def format_score(name: str, score: CorpusScore) -> list[str]:
    lines = [f"{name}: {'field':<26} {'returned':>8} {'precision':>9} {'expected':>8} "
             f"{'recall':>7}"]
    for path in PATIENT_PATHS:
        s = score.fields.get(path)
        if s is None or (s.returned == 0 and s.expected == 0):
            continue
        lines.append(f"  {path:<{len(name) + 24}} {s.returned:>8} {s.precision:>9.3f} "
                     f"{s.expected:>8} {s.recall:>7.3f}")
    t = score.total
    lines.append(f"  {'ALL FIELDS':<{len(name) + 24}} {t.returned:>8} {t.precision:>9.3f} "
                 f"{t.expected:>8} {t.recall:>7.3f}")
    return lines
