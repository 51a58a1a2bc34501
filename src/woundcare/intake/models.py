"""Output of the free-text intake parser.

Deliberately independent of the case record (:mod:`woundcare.domain.record`): the Bio agent
maps a :class:`ParsedIntake` onto the record, so the parser never needs to know the record's
validation rules and can report what it could *not* decide (ambiguities) instead of guessing.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

FieldValue = str | int | date

PATIENT_PATHS: tuple[str, ...] = (
    "patient.first_name",
    "patient.last_name",
    "patient.preferred_name",
    "patient.date_of_birth",
    "patient.age",
    "patient.sex",
    "patient.mrn",
    "patient.contact.phone",
    "patient.contact.email",
)
CONSENT_KINDS: tuple[str, ...] = ("data_storage", "photography", "team_board_sharing")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ConsentDecision(StrEnum):
    GRANTED = "granted"
    DECLINED = "declined"


class ParsedConsent(_Frozen):
    """Consent decisions found in the text; ``None`` means nothing explicit was said."""

    data_storage: ConsentDecision | None = None
    photography: ConsentDecision | None = None
    team_board_sharing: ConsentDecision | None = None


class ParsedField(_Frozen):
    """One patient field, with the ``[start, end)`` slice of the input it was read from."""

    path: str
    value: FieldValue
    span: tuple[int, int]
    source: Literal["rules", "model"] = "rules"


class Ambiguity(_Frozen):
    """A field the parser could not decide; ``candidates`` are ISO strings for dates."""

    path: str
    candidates: tuple[str, ...]
    question: str


class ParsedIntake(_Frozen):
    fields: tuple[ParsedField, ...] = ()
    consent: ParsedConsent = ParsedConsent()
    ambiguities: tuple[Ambiguity, ...] = ()
    notes: tuple[str, ...] = ()  # non-PHI remarks, never values from the text
    # Text that reads like an instruction to the system was found (and not obeyed).
    suspicious_instruction: bool = False

    def value(self, path: str) -> object | None:
        """The value at ``path`` ("patient.first_name", "consent.photography"), or ``None``."""
        if path.startswith("consent."):
            kind = path.removeprefix("consent.")
            if kind in CONSENT_KINDS:
                decision: ConsentDecision | None = getattr(self.consent, kind)
                return decision
            return None
        for parsed in self.fields:
            if parsed.path == path:
                return parsed.value
        return None

    def field(self, path: str) -> ParsedField | None:
        return next((f for f in self.fields if f.path == path), None)

    def ambiguity(self, path: str) -> Ambiguity | None:
        return next((a for a in self.ambiguities if a.path == path), None)
