"""Deterministic free-text intake: typed forms, OCR output and transcribed speech.

:func:`parse_free_text` runs the rule extractors (names, dates, identifiers, consent) over the
text as received and then settles conflicts. It never picks between two readings: two
different values for a field, or a date that can be read two ways, become an
:class:`Ambiguity` with a neutral question. Every field carries the span it was read from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from woundcare.intake.common import Candidate, Findings, overlaps
from woundcare.intake.consent import extract_consent
from woundcare.intake.dates import DOB_PATH, DateLocale, DobReading, age_on, extract_dobs
from woundcare.intake.identifiers import (
    AGE,
    MRN,
    PHONE,
    extract_age,
    extract_contact,
    extract_mrn,
    extract_sex,
)
from woundcare.intake.models import PATIENT_PATHS, Ambiguity, ParsedField, ParsedIntake
from woundcare.intake.names import extract_names
from woundcare.messages import say

MAX_TEXT_CHARS = 50_000

LABELS: dict[str, str] = {
    "patient.first_name": "first name",
    "patient.last_name": "last name",
    "patient.preferred_name": "preferred name",
    "patient.date_of_birth": "date of birth",
    "patient.age": "age",
    "patient.sex": "sex",
    "patient.mrn": "record number (MRN)",
    "patient.contact.phone": "phone number",
    "patient.contact.email": "email address",
}


def question_for(path: str) -> str:
    """A neutral question for an undecided field (no values: they travel as candidates)."""
    return say("question.undecided", label=LABELS.get(path, "value"))


def parse_free_text(
    text: str, *, date_locale: DateLocale | None = None, today: date
) -> ParsedIntake:
    """Read patient fields and consent from free text; pure, offline and deterministic."""
    findings = Findings()
    if len(text) > MAX_TEXT_CHARS:
        findings.note(f"Only the first {MAX_TEXT_CHARS} characters were read.")
        text = text[:MAX_TEXT_CHARS]
    extract_names(text, findings)
    extract_age(text, findings)
    extract_sex(text, findings)
    extract_mrn(text, findings)
    extract_contact(text, findings)
    dobs = extract_dobs(text, date_locale, today, findings)
    consent = extract_consent(text, findings)
    _drop_phone_overlaps(findings, [d.span for d in dobs])

    fields: list[ParsedField] = []
    ambiguities: list[Ambiguity] = []
    for path in PATIENT_PATHS:
        if path == DOB_PATH:
            continue
        _settle(path, [c for c in findings.candidates if c.path == path], fields, ambiguities,
                findings)  # fmt: skip
    age = next((f.value for f in fields if f.path == AGE), None)
    _settle_dob(dobs, age if isinstance(age, int) else None, today, fields, ambiguities, findings)
    order = {path: i for i, path in enumerate(PATIENT_PATHS)}
    fields.sort(key=lambda f: order[f.path])
    return ParsedIntake(
        fields=tuple(fields),
        consent=consent,
        ambiguities=tuple(sorted(ambiguities, key=lambda a: order.get(a.path, 99))),
        notes=tuple(findings.notes),
        suspicious_instruction=findings.suspicious_instruction,
    )


def _drop_phone_overlaps(findings: Findings, dob_spans: list[tuple[int, int]]) -> None:
    """A digit run already read as an MRN or a date of birth is not also a phone number."""
    taken = dob_spans + [c.span for c in findings.candidates if c.path == MRN]
    findings.candidates = [
        c
        for c in findings.candidates
        if c.path != PHONE or not any(overlaps(c.span, span) for span in taken)
    ]


def _key(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


def _settle(
    path: str,
    candidates: Sequence[Candidate],
    fields: list[ParsedField],
    ambiguities: list[Ambiguity],
    findings: Findings,
) -> None:
    distinct: dict[object, Candidate] = {}
    for candidate in candidates:
        distinct.setdefault(_key(candidate.value), candidate)
    if len(distinct) == 1:
        chosen = next(iter(distinct.values()))
        fields.append(ParsedField(path=path, value=chosen.value, span=chosen.span))
    elif distinct:
        findings.note(f"Different values for the {LABELS[path]} were found.")
        ambiguities.append(
            Ambiguity(
                path=path,
                candidates=tuple(str(c.value) for c in distinct.values()),
                question=question_for(path),
            )
        )


def _settle_dob(
    readings: list[DobReading],
    age: int | None,
    today: date,
    fields: list[ParsedField],
    ambiguities: list[Ambiguity],
    findings: Findings,
) -> None:
    if not readings:
        return
    settled: list[DobReading] = []
    for reading in readings:
        options = reading.readings
        years = {d.year for d in options}
        if len(years) > 1 and age is not None:
            # Two-digit year: the stated age picks the century (±1 for an undecided day/month).
            fitting = {d.year for d in options if abs(age_on(d, today) - age) <= 1}
            if len(fitting) == 1:
                findings.note("A two-digit birth year was settled by the stated age.")
                options = tuple(d for d in options if d.year in fitting)
        settled.append(DobReading(reading.span, options))
    definite = {r.readings[0] for r in settled if len(r.readings) == 1}
    every = {d for r in settled for d in r.readings}
    if len(definite) == 1:
        value = next(iter(definite))
        if all(value in r.readings for r in settled):
            span = next(r.span for r in settled if r.readings == (value,))
            fields.append(ParsedField(path=DOB_PATH, value=value, span=span))
            if age is not None and age_on(value, today) != age:
                findings.note("The stated age does not match the date of birth.")
            return
    if (
        len(definite) > 1
        or (definite and not all(definite & set(r.readings) for r in settled))
        or len({r.readings for r in settled}) > 1
    ):
        findings.note("Different dates of birth were found.")
    else:
        if len({d.year for d in every}) > 1:
            findings.note("A two-digit birth year could belong to two centuries.")
        if len({(d.month, d.day) for d in every}) > 1:
            findings.note("A date of birth can be read as day/month or month/day.")
    ambiguities.append(
        Ambiguity(
            path=DOB_PATH,
            candidates=tuple(d.isoformat() for d in sorted(every)),
            question=(
                "The date of birth can be read in more than one way. Which is correct?"
                if len(settled) == 1 or len({r.readings for r in settled}) == 1
                else question_for(DOB_PATH)
            ),
        )
    )
