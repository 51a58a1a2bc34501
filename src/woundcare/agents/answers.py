"""Reading a follow-up answer as a value for the field its question is about.

An answer is validated like a direct edit of that field: when it reads as a valid value it is
written there (with provenance pointing at the question); when it does not, the answer is
refused with the reason and the question stays open. A plain "no" / "none" / "not known" to
an optional field or a measurement closes the question and writes nothing. Questions that are
not about one field (a composite such as tissue percentages, a contradiction between two
fields) keep their answer as text only, and consent is never changed by an answer: consent is
recorded in the consent section.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from woundcare.domain.enums import (
    DressingSaturation,
    EdgeCondition,
    ExudateConsistency,
    ExudateLevel,
    Orientation,
    PainScale,
    Presence,
    Sex,
    TemperatureSite,
)
from woundcare.domain.errors import InputRejected
from woundcare.domain.problems import FieldProblem
from woundcare.intake.numbers import read_count
from woundcare.messages import say

Writes = dict[str, Any]
_NEGATIVE = re.compile(
    r"^(?:no|nope|none|nil|n/?a|not[ \t]+(?:known|available|applicable|possible|recorded"
    r"|measured|today|now)|unknown|no[ \t]+(?:mrn|number|record[ \t]+number|value)"
    r"|still[ \t]+unknown|cannot|can['’]?t|not[ \t]+yet)[ \t.!]*$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^[ \t]*(?P<n>\d{1,4}(?:[.,]\d{1,2})?)[ \t]*(?P<unit>[^\d\s][^\n]{0,20})?$")
_SYNONYMS: dict[str, str] = {
    "f": "female", "woman": "female", "m": "male", "man": "male", "unknown": "unspecified",
    "prefer not to say": "unspecified", "yes": "present", "no": "absent", "none": "absent",
    "numeric": "nrs", "numeric rating scale": "nrs", "verbal": "vrs", "front": "anterior",
    "back": "posterior", "side": "lateral", "partly": "partial", "partially": "partial",
    "fully": "full", "completely": "full", "not saturated": "none", "dry": "none",
}  # fmt: skip


class AnswerRejected(InputRejected):
    """The answer is not a valid value for the question's field; the question stays open."""

    def __init__(self, message: str) -> None:
        super().__init__([FieldProblem(path="answer", code="invalid_answer", message=message)],
                         message)


def _clean(answer: str) -> str:
    return re.sub(r"[ \t]+", " ", answer.strip().rstrip(".!").strip())


def _enum(kind: type[StrEnum], *, no_means: str | None = None) -> Callable[[str], Any]:
    values = {member.value.lower(): member.value for member in kind}

    def read(answer: str) -> Any:
        word = _clean(answer).lower()
        if word == "no" and no_means is not None:
            return no_means
        word = _SYNONYMS.get(word, word) if word not in values else word
        if word not in values:
            raise AnswerRejected(say("problem.answer.choice", choices=list(values.values())))
        return values[word]

    return read


def _text(limit: int, *, name: bool = False) -> Callable[[str], Any]:
    def read(answer: str) -> Any:
        value = _clean(answer)
        if not value or len(value) > limit:
            raise AnswerRejected(say("problem.answer.length", count=limit))
        if name and not re.fullmatch(r"[^\W\d_]+(?:[ '’.\-][^\W\d_]*)*", value):
            raise AnswerRejected(say("problem.answer.name"))
        return value

    return read


def _mrn(answer: str) -> Any:
    value = _clean(answer)
    shape = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._/\-]{0,63}", value)
    if shape is None or not re.search(r"\d", value):
        raise AnswerRejected(say("problem.answer.mrn"))
    return value


def _number(low: float, high: float, unit: str, *, integer: bool = False
            ) -> Callable[[str], Any]:
    def read(answer: str) -> Any:
        text = _clean(answer)
        m = _NUMBER.match(text)
        value: float | None = None
        if m is not None and (m.group("unit") is None
                              or m.group("unit").strip().lower() in _UNITS[unit]):
            value = float(m.group("n").replace(",", "."))
        elif integer:
            value = read_count(text)
        if value is None or not low <= value <= high or (integer and value != int(value)):
            raise AnswerRejected(
                say("problem.answer.range_unit", low=low, high=high, unit=unit) if unit
                else say("problem.answer.range", low=low, high=high))
        return int(value) if integer else value

    return read


_UNITS: dict[str, set[str]] = {
    "cm": {"cm", "centimetres", "centimeters"}, "years": {"years", "yrs", "y", "years old"},
    "bpm": {"bpm", "/min", "beats/min", "per minute"}, "breaths/min": {"/min", "breaths/min",
    "per minute"}, "%": {"%", "percent"}, "": set(),
}  # fmt: skip


def _dob(today: date) -> Callable[[str], Any]:
    def read(answer: str) -> Any:
        # the date rules compile many patterns: loaded with the first date answer (or the
        # warm-up after start), not with the server
        from woundcare.intake.dates import find_dates, plausible_dob

        text = _clean(answer)
        readings = list(find_dates(text))
        if len(readings) != 1:
            raise AnswerRejected(say("problem.answer.dob_one"))
        options = [d for d in readings[0].readings if plausible_dob(d, today)]
        if not options:
            raise AnswerRejected(say("problem.answer.dob_range"))
        if len(options) > 1:
            raise AnswerRejected(say("problem.answer.dob_readings"))
        return options[0].isoformat()

    return read


def _vital(name: str, low: float, high: float, unit: str, *, integer: bool) -> Callable[
        [str], Any]:
    number = _number(low, high, unit, integer=integer)

    def read(answer: str) -> Any:
        return {"value": number(answer), "unit": unit or None, "unknown": False}

    return read


def _blood_pressure(answer: str) -> Any:
    m = re.fullmatch(r"(\d{2,3})[ \t]*/[ \t]*(\d{2,3})(?:[ \t]*mm[ \t]*hg)?", _clean(answer), re.I)
    if m is None:
        raise AnswerRejected(say("problem.answer.blood_pressure"))
    return {"systolic": int(m.group(1)), "diastolic": int(m.group(2)), "unit": "mmHg",
            "unknown": False}


def _readers(today: date) -> dict[str, Callable[[str], Any]]:
    return {
        "patient.first_name": _text(100, name=True),
        "patient.last_name": _text(100, name=True),
        "patient.preferred_name": _text(100, name=True),
        "patient.sex": _enum(Sex),
        "patient.age": _number(0, 120, "years", integer=True),
        "patient.date_of_birth": _dob(today),
        "patient.mrn": _mrn,
        "patient.contact.phone": _text(32),
        "patient.contact.email": _text(254),
        "wound.site": _text(200),
        "vitals.pain.scale": _enum(PainScale),
        "vitals.heart_rate": _vital("heart_rate", 20, 300, "bpm", integer=True),
        "vitals.respiratory_rate": _vital("respiratory_rate", 2, 80, "breaths/min",
                                          integer=True),
        "vitals.oxygen_saturation": _vital("oxygen_saturation", 0, 100, "%", integer=False),
        "vitals.blood_pressure": _blood_pressure,
        "vitals.temperature.site": _enum(TemperatureSite),
        "time_assessment.infection.odour": _enum(Presence),
        "time_assessment.infection.erythema": _enum(Presence),
        "time_assessment.infection.erythema_extent_cm": _number(0, 100, "cm"),
        "time_assessment.moisture.exudate_level": _enum(ExudateLevel),
        "time_assessment.moisture.exudate_consistency": _enum(ExudateConsistency),
        "time_assessment.moisture.dressing_saturation": _enum(DressingSaturation,
                                                              no_means="none"),
        "time_assessment.edge.condition": _enum(EdgeCondition),
        "time_assessment.edge.undermining_depth_cm": _number(0, 30, "cm"),
        "time_assessment.edge.epibole": _enum(Presence),
    }


_OPTIONAL = {"patient.mrn", "patient.contact.phone", "patient.contact.email",
             "patient.preferred_name", "vitals.heart_rate", "vitals.respiratory_rate",
             "vitals.oxygen_saturation", "vitals.blood_pressure",
             "time_assessment.infection.erythema_extent_cm",
             "time_assessment.edge.undermining_depth_cm"}
_PHOTO_ORIENTATION = re.compile(r"^wound\.photos\.(\d{1,3})\.orientation$")


def read_answer(path: str, answer: str, now: datetime) -> Writes | None:
    """What an answer to a question about ``path`` writes: ``{path: value}``; ``{}`` for a
    plain "no" to an optional field or a measurement; ``None`` when the question is not about
    a single field (or is about consent), so the answer is kept as text only. Raises
    :class:`AnswerRejected` when the answer is not a valid value."""
    if path.startswith("consent."):
        return None
    reader = _readers(now.date()).get(path)
    if reader is None and _PHOTO_ORIENTATION.match(path):
        reader = _enum(Orientation)
    if reader is None:
        return None
    if path in _OPTIONAL and _NEGATIVE.match(answer.strip()):
        return {}
    value = reader(answer)
    if path.startswith("vitals.") and isinstance(value, dict):
        return {f"{path}.{key}": item for key, item in {**value,
                "captured_at": now.isoformat()}.items()}
    return {path: value}
