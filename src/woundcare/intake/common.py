"""Shared pieces of the rule-based extractors: candidates, context checks, label separators.

The extractors never rewrite the input (no OCR clean-up pass): every span must index into the
text exactly as received, so OCR noise is tolerated inside the patterns instead (``D[O0]B``,
runs of whitespace, optional dots).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

# Label/value separator: "DOB: x", "DOB - x", "DOB = x", "DOB #x", "dob is x", "DOB x".
SEP = r"(?:[ \t]{0,8}[:=#\-–][ \t]{0,8}|[ \t]{1,8}(?:is|was|of|on|=)?[ \t]{0,8}|[ \t]{0,8})"

# Words that, shortly before a value on the same line/clause, mean it is someone else's.
_THIRD_PARTY = re.compile(
    r"\b(?:doctor|dr|gp|physician|nurse|surgeon|consultant|clinician|therapist|pharmacy|"
    r"pharmacist|referr(?:ed|er|ing|al)|signed|kin|nok|emergency|contact\s+person|carer|"
    r"caregiver|guardian|parent|mother|mum|mom|father|dad|wife|husband|spouse|partner|son|"
    r"daughter|sister|brother|friend|neighbou?r|clinic|hospital|facility|school|employer)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[\n.;!?]")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A value read by a rule, before conflicts between candidates are resolved."""

    path: str
    value: str | int | date
    span: tuple[int, int]


@dataclass(slots=True)
class Findings:
    """What one extractor found: candidates plus non-PHI notes."""

    candidates: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    suspicious_instruction: bool = False

    def add(self, path: str, value: str | int | date, start: int, end: int) -> None:
        self.candidates.append(Candidate(path, value, (start, end)))

    def flag_suspicious(self, note: str) -> None:
        """Instruction-like text was found (reported to the clinician, never obeyed)."""
        self.suspicious_instruction = True
        self.note(note)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def third_party_context(text: str, start: int, window: int = 40) -> bool:
    """True when a word like "doctor", "emergency contact" or "mother" precedes ``start``
    in the same clause: the value then most likely belongs to someone else."""
    lo = max(0, start - window)
    before = text[lo:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    # "Mrs." / "Dr." end with a dot that is not a clause break; a few abbreviations are
    # re-checked on the unsplit window so "Dr. Smith" stays third-party.
    if re.search(r"\b(?:dr|gp)\.?\s*$", text[lo:start], re.IGNORECASE):
        return True
    return _THIRD_PARTY.search(before) is not None


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
