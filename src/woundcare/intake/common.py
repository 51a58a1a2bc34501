"""Shared pieces of the rule-based extractors: candidates, context checks, label separators.

The extractors never rewrite the input (no OCR clean-up pass): every span must index into the
text exactly as received, so OCR noise is tolerated inside the patterns instead (``D[O0]B``,
runs of whitespace, optional dots).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

# Label/value separator: "DOB: x", "DOB - x", "DOB = x", "DOB #x", "dob is x", "DOB x", and
# "DOB; x" (OCR reads a colon as a semicolon).
SEP = r"(?:[ \t]{0,8}[:;=#\-–][ \t]{0,8}|[ \t]{1,8}(?:is|was|of|on|=)?[ \t]{0,8}|[ \t]{0,8})"

# A label alone at the end of its line, its value on the next line ("MRN\n66120",
# "Patient name:\nTesty Testcase"). Tried before SEP.
SEP_LINE = r"(?:[ \t]{0,8}[:=#\-–]?[ \t]{0,8}\r?\n[ \t]{0,8}(?:[:=#\-–][ \t]{0,8})?)"

# Characters OCR confuses with digits; swapped only inside a field whose format is digits.
_OCR_DIGITS = str.maketrans({"l": "1", "I": "1", "|": "1", "O": "0", "o": "0", "S": "5"})
_OCR_RUN = re.compile(r"(?<![^\W\d_])[0-9lI|OoS]{1,4}(?![^\W\d_])")


def ocr_digits(text: str) -> str:
    """``text`` with OCR look-alikes (l, I, |, O, o, S) read as digits inside digit runs
    ("1l-O5-1945" → "11-05-1945"). Same length, so spans index into the original text. A run
    is changed only when it stands alone (not inside a word such as "Oct" or "Sol") and holds a
    real digit, or is one or two characters next to a date separator beside such a run."""
    out = list(text)
    for m in _OCR_RUN.finditer(text):
        run = m.group()
        has_digit = any(ch.isdigit() for ch in run)
        if not has_digit:
            before, after = text[max(0, m.start() - 2) : m.start()], text[m.end() : m.end() + 2]
            near = (len(run) <= 2 and (re.fullmatch(r"\d[-/.]", before) is not None
                                       or re.fullmatch(r"[-/.]\d", after) is not None))
            if not near:
                continue
        out[m.start() : m.end()] = run.translate(_OCR_DIGITS)
    return "".join(out)


# Words that, shortly before a value on the same line/clause, mean it is someone else's.
_THIRD_PARTY = re.compile(
    r"\b(?:doctor|dr|gp|physician|nurse|surgeon|consultant|clinician|therapist|pharmacy|"
    r"pharmacist|referr(?:ed|er|ing)|signed|kin|nok|emergency|contact\s+person|carer|"
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
