"""What a language model may contribute, and the proof that it is in the text.

:class:`ModelExtraction` is the only shape accepted from a model (unknown keys, consent
included, make the whole reply invalid). :func:`ground` then looks for each value *in the
text*: a value that cannot be found there is an invention and is rejected; a found value
gets the span of where it is, and is re-read from the text, not copied from the model.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from woundcare.intake.common import third_party_context
from woundcare.intake.dates import DateLocale, find_dates, plausible_dob, read_date_at
from woundcare.intake.identifiers import normalise_phone

_Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
# A model never writes a sentence that is shown: it may only pick catalogued remarks by id
# (rendered from ``notice.intake.<id>`` in :mod:`woundcare.messages`).
NoteId = Literal[
    "name_unclear", "surname_unclear", "dob_unclear", "mrn_missing", "several_people",
    "handwriting",
]

MODEL_KEYS: dict[str, str] = {
    "first_name": "patient.first_name",
    "last_name": "patient.last_name",
    "preferred_name": "patient.preferred_name",
    "date_of_birth": "patient.date_of_birth",
    "age": "patient.age",
    "sex": "patient.sex",
    "mrn": "patient.mrn",
    "phone": "patient.contact.phone",
    "email": "patient.contact.email",
}


class ModelExtraction(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    first_name: _Short | None = None
    last_name: _Short | None = None
    preferred_name: _Short | None = None
    date_of_birth: Annotated[str, StringConstraints(max_length=40)] | None = None
    age: Annotated[int, Field(ge=0, le=120)] | None = None
    sex: Literal["female", "male", "intersex", "unspecified"] | None = None
    mrn: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = None
    phone: Annotated[str, StringConstraints(max_length=40)] | None = None
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)] | None = None
    note_ids: Annotated[list[NoteId], Field(max_length=5)] = Field(default_factory=list)


_NAME_SHAPE = re.compile(r"[^\W\d_](?:[^\W\d_]|[ '’.\-](?=[^\W\d_ ]))*\.?")
_MRN_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/-]*")
_EMAIL_SHAPE = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[A-Za-z]{2,24}")
_PHONE_RUN = re.compile(r"(?<![\w+])\+?[ \t]{0,8}\(?\d[\d \t().\-]{3,22}\d(?!\w)")
_SEX_WORDS = {
    "female": r"female|woman",
    "male": r"male|man",
    "intersex": r"intersex",
    "unspecified": r"unspecified",
}


def _words(value: str) -> str:
    return r"\s+".join(re.escape(part) for part in value.split())


def _find(text: str, pattern: str, flags: int = 0) -> tuple[int, int] | None:
    for m in re.finditer(rf"(?<![^\W_]){pattern}(?![^\W_])", text, flags):
        if not third_party_context(text, m.start()):
            return m.span()
    return None


def _model_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        reading = read_date_at(raw.strip(), 0)
        return reading.readings[0] if reading and len(reading.readings) == 1 else None


def ground(
    path: str,
    value: str | int,
    text: str,
    *,
    locale: DateLocale | None,
    today: date,
) -> tuple[str | int | date, tuple[int, int]] | None:
    """``(value as read from the text, span)`` when ``value`` is really in ``text``."""
    if isinstance(value, int):
        if path != "patient.age":
            return None
        span = _find(text, rf"(?<!\d){value}(?!\d)")
        return (value, span) if span else None
    if path in {"patient.first_name", "patient.last_name", "patient.preferred_name"}:
        if not _NAME_SHAPE.fullmatch(value):
            return None
        span = _find(text, _words(value)) or _find(text, _words(value), re.IGNORECASE)
        return (text[span[0] : span[1]], span) if span else None
    if path == "patient.date_of_birth":
        wanted = _model_date(value)
        if wanted is None or not plausible_dob(wanted, today):
            return None
        for reading in find_dates(text, locale):
            # Only an unambiguous expression counts: the model must not pick a reading.
            if reading.readings == (wanted,):
                return wanted, reading.span
        return None
    if path == "patient.sex":
        pattern = _SEX_WORDS.get(value)
        span = _find(text, rf"(?:{pattern})", re.IGNORECASE) if pattern else None
        return (value, span) if span else None
    if path == "patient.mrn":
        if not _MRN_SHAPE.fullmatch(value) or not any(c.isdigit() for c in value):
            return None
        span = _find(text, re.escape(value))
        return (value, span) if span else None
    if path == "patient.contact.phone":
        wanted_phone = normalise_phone(value)
        if wanted_phone is None:
            return None
        for m in _PHONE_RUN.finditer(text):
            found = normalise_phone(m.group())
            if found is None or found.lstrip("+") != wanted_phone.lstrip("+"):
                continue
            if not third_party_context(text, m.start()):
                return found, (m.start() + len(m.group()) - len(m.group().lstrip()), m.end())
        return None
    if path == "patient.contact.email":
        if not _EMAIL_SHAPE.fullmatch(value):
            return None
        span = _find(text, re.escape(value), re.IGNORECASE)
        return (text[span[0] : span[1]].lower(), span) if span else None
    return None
