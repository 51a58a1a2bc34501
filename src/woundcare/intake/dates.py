"""Dates in free text, and dates of birth in particular.

A date is read into *all* its valid calendar readings; deciding between them is left to the
caller. Day/month order is decided only by the text itself (a part > 12, a format hint such as
"(DD/MM/YYYY)") or by an explicit ``locale``; two-digit years only by plausibility (a date of
birth cannot be in the future or more than 120 years ago). Whatever remains undecided becomes
an ambiguity upstream, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

from woundcare.intake.common import SEP, SEP_LINE, Findings, ocr_digits
from woundcare.intake.numbers import ORDINAL, YEAR, read_ordinal, read_year
from woundcare.messages import say

DateLocale = Literal["dmy", "mdy"]
MAX_AGE_YEARS = 120
DOB_PATH = "patient.date_of_birth"

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = r"(?P<mon>[A-Za-z]{3,9})\.?"
_YEAR = r"(?P<y>\d{4}|\d{2})(?!\d)"
_ORD = r"(?:st|nd|rd|th)?"
_S = r"[ \t]{0,8}"

_ISO = re.compile(
    rf"(?<!\d)(?P<y>\d{{4}}){_S}(?P<s>[-/.]){_S}(?P<m>\d{{1,2}}){_S}(?P=s){_S}(?P<d>\d{{1,2}})(?!\d)"
)
_NUMERIC = re.compile(
    rf"(?<!\d)(?P<a>\d{{1,2}}){_S}(?P<s>[-/.]){_S}(?P<b>\d{{1,2}}){_S}(?P=s){_S}{_YEAR}"
)
_DAY_MONTH = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}}){_ORD}(?:[ \t]{{1,8}}of)?(?:{_S}[-/.,]{_S}|[ \t]{{1,8}}){_MONTH}"
    rf"(?:{_S}[-/.,]{_S}|[ \t]{{1,8}}){_YEAR}",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"(?<![A-Za-z]){_MONTH}[ \t]{{1,8}}(?:the[ \t]{{1,8}})?(?P<d>\d{{1,2}}){_ORD}(?:{_S},{_S}"
    rf"|[ \t]{{1,8}}){_YEAR}",
    re.IGNORECASE,
)  # fmt: skip
# Spoken dates: "the fifth of March nineteen forty-five", "March fifth, 1950".
_SPOKEN_YEAR = rf"(?P<sy>{YEAR}|\d{{4}}(?!\d))"
_SPOKEN_DMY = re.compile(
    rf"(?<![A-Za-z])(?:the[ \t]{{1,8}})?(?P<sd>{ORDINAL})(?:st|nd|rd|th)?[ \t]{{1,8}}"
    rf"(?:of[ \t]{{1,8}})?{_MONTH}(?:{_S},{_S}|[ \t]{{1,8}})(?:in[ \t]{{1,8}})?{_SPOKEN_YEAR}",
    re.IGNORECASE,
)
_SPOKEN_MDY = re.compile(
    rf"(?<![A-Za-z]){_MONTH}[ \t]{{1,8}}(?:the[ \t]{{1,8}})?(?P<sd>{ORDINAL})(?:st|nd|rd|th)?"
    rf"(?:{_S},{_S}|[ \t]{{1,8}}){_SPOKEN_YEAR}",
    re.IGNORECASE,
)
_SPOKEN = (_SPOKEN_DMY, _SPOKEN_MDY)
_PATTERNS = (_ISO, _DAY_MONTH, _MONTH_DAY, _NUMERIC, *_SPOKEN)

_DOB_LABEL = re.compile(
    r"(?<![A-Za-z])(?:d[ \t]{0,8}\.?[ \t]{0,8}[o0][ \t]{0,8}\.?[ \t]{0,8}b\b\.?"
    r"|date[ \t]{0,8}\r?\n?[ \t]{0,8}[o0]f[ \t]{0,8}\r?\n?[ \t]{0,8}b[i1l]rth"
    r"|b[i1l]rth[ \t]{0,8}date|born)"
    r"(?:[ \t]{0,8}\((?P<fmt>[dmyjDMYJ]{1,4}[ \t]{0,8}[-/.][ \t]{0,8}[dmyDMY]{1,4}"
    r"[ \t]{0,8}[-/.][ \t]{0,8}[dmyDMY]{1,4})\))?(?:" + SEP_LINE + "|" + SEP
    # a comma after the label: "Date of birth, the 2nd of February 1952" (a transcript's)
    + r")(?:,[ \t]{0,8})?(?:the[ \t]{1,8})?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateReading:
    """A date expression and every calendar date it can mean (sorted, possibly empty)."""

    span: tuple[int, int]
    readings: tuple[date, ...]
    two_digit_year: bool


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _years(raw: str) -> tuple[int, ...]:
    if len(raw) == 4:
        return (int(raw),)
    yy = int(raw)
    return (1900 + yy, 2000 + yy)


def _readings(m: re.Match[str], locale: DateLocale | None) -> tuple[date, ...] | None:
    groups = m.groupdict()
    pairs: list[tuple[int, int]]  # (month, day)
    if m.re is _ISO:
        pairs = [(int(groups["m"]), int(groups["d"]))]
    elif m.re is _NUMERIC:
        a, b = int(groups["a"]), int(groups["b"])
        if locale == "dmy":
            pairs = [(b, a)]
        elif locale == "mdy":
            pairs = [(a, b)]
        else:
            pairs = [(b, a), (a, b)]
    elif m.re in _SPOKEN:
        month = _MONTHS.get(groups["mon"].lower())
        day = read_ordinal(groups["sd"])
        year = read_year(groups["sy"]) if not groups["sy"].isdigit() else int(groups["sy"])
        if month is None or day is None or year is None:
            return None
        found = _safe_date(year, month, day)
        return () if found is None else (found,)
    else:
        month = _MONTHS.get(groups["mon"].lower())
        if month is None:
            return None
        pairs = [(month, int(groups["d"]))]
    out = {
        d
        for year in _years(groups["y"])
        for month, day in pairs
        if (d := _safe_date(year, month, day)) is not None
    }
    return tuple(sorted(out))


def read_date_at(text: str, pos: int, locale: DateLocale | None = None) -> DateReading | None:
    """A date expression starting exactly at ``pos``, or ``None``."""
    for pattern in _PATTERNS:
        m = pattern.match(text, pos)
        if m is None:
            continue
        readings = _readings(m, locale)
        if readings is None:
            continue
        return DateReading(m.span(), readings, _two_digit(m))
    return None


def _two_digit(m: re.Match[str]) -> bool:
    return m.re not in _SPOKEN and len(m.group("y")) == 2


def find_dates(text: str, locale: DateLocale | None = None) -> Iterator[DateReading]:
    """Every date expression in the text, longest first where two overlap."""
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            readings = _readings(m, locale)
            if readings:
                taken.append(m.span())
                yield DateReading(m.span(), readings, _two_digit(m))


def plausible_dob(value: date, today: date) -> bool:
    return _years_before(today, MAX_AGE_YEARS) <= value <= today


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def age_on(dob: date, today: date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


@dataclass(frozen=True, slots=True)
class DobReading:
    """A labelled date of birth with its plausible readings (one: decided; more: ambiguous)."""

    span: tuple[int, int]
    readings: tuple[date, ...]


def _hint(fmt: str | None) -> DateLocale | None:
    if not fmt:
        return None
    first = fmt.strip().lower()[0]
    return "dmy" if first in "dj" else "mdy" if first == "m" else None


def extract_dobs(
    text: str, locale: DateLocale | None, today: date, findings: Findings
) -> list[DobReading]:
    """Dates following a date-of-birth label ("DOB", "D0B", "date of birth", "born" ...)."""
    out: list[DobReading] = []
    digits = ocr_digits(text)  # a date of birth is digits: OCR look-alikes are read as such
    for label in _DOB_LABEL.finditer(text):
        reading = read_date_at(digits, label.end(), _hint(label.group("fmt")) or locale)
        if reading is None or not reading.readings:
            continue
        plausible = tuple(d for d in reading.readings if plausible_dob(d, today))
        if not plausible:
            if any(d > today for d in reading.readings):
                findings.note("A date of birth in the future was ignored.")
            else:
                findings.note(f"A date of birth more than {MAX_AGE_YEARS} years ago was ignored.")
            continue
        lo, hi = reading.span
        if digits[lo:hi] != text[lo:hi]:
            findings.note(say("notice.intake.ocr_digits"))
        if len(plausible) < len(reading.readings) and not reading.two_digit_year:
            findings.note("One reading of a date of birth was impossible and was set aside.")
        out.append(DobReading(reading.span, plausible))
    return out
