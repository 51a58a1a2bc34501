"""Numbers written in words, as speech transcripts and letters give them: "seventy-nine",
"ninety one", "the twenty-third", "nineteen forty-five", "two thousand and three".

Only exact, complete readings count: a phrase that is not a well-formed number gives
``None`` (never a partial guess).
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_ORDINAL_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19,
}  # fmt: skip
_ORDINAL_TENS = {"twentieth": 20, "thirtieth": 30}

_UNIT_WORD = "|".join(sorted(_UNITS, key=len, reverse=True))
_TENS_WORD = "|".join(_TENS)
_ORD_WORD = "|".join(sorted(_ORDINAL_UNITS, key=len, reverse=True))
_J = r"(?:[ \t]{1,4}|[ \t]{0,4}-[ \t]{0,4})"

# A cardinal below 200: "seventy-nine", "one hundred and two", "eighty".
CARDINAL = (
    rf"(?:(?:one|a)[ \t]{{1,4}}hundred(?:[ \t]{{1,4}}and)?{_J}(?:(?:{_TENS_WORD})(?:{_J}(?:"
    rf"{_UNIT_WORD}))?|{_UNIT_WORD})|(?:one|a)[ \t]{{1,4}}hundred"
    rf"|(?:{_TENS_WORD})(?:{_J}(?:{_UNIT_WORD}))?|{_UNIT_WORD})"
)
ORDINAL = (
    rf"(?:(?:twenty|thirty){_J}(?:{_ORD_WORD})|twentieth|thirtieth|{_ORD_WORD}"
    rf"|[1-9]|[12]\d|3[01])"
)
# A year spoken as two pairs or in thousands: "nineteen forty-five", "nineteen oh five",
# "two thousand and three", "nineteen hundred".
YEAR = (
    rf"(?:(?:nineteen|eighteen|twenty){_J}(?:(?:{_TENS_WORD})(?:{_J}(?:{_UNIT_WORD}))?"
    rf"|(?:oh|o){_J}(?:{_UNIT_WORD})|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    rf"|seventeen|eighteen|nineteen|hundred)"
    rf"|two[ \t]{{1,4}}thousand(?:(?:[ \t]{{1,4}}and)?{_J}(?:(?:{_TENS_WORD})(?:{_J}(?:"
    rf"{_UNIT_WORD}))?|{_UNIT_WORD}))?)"
)
_SPLIT = re.compile(r"[ \t\-]+")


def _words(text: str) -> list[str]:
    return [w for w in _SPLIT.split(text.strip().lower()) if w and w != "and"]


def read_count(text: str) -> int | None:
    """ "seventy-nine" → 79, "one hundred and two" → 102; digits as they are; else None."""
    stripped = text.strip()
    if stripped.isdigit():
        return int(stripped)
    words = _words(stripped)
    total = 0
    if words[:2] in (["one", "hundred"], ["a", "hundred"]):
        total, words = 100, words[2:]
    if not words:
        return total or None
    if len(words) == 1 and words[0] in _UNITS:
        return total + _UNITS[words[0]]
    if words[0] in _TENS and len(words) == 1:
        return total + _TENS[words[0]]
    if words[0] in _TENS and len(words) == 2 and words[1] in _UNITS and _UNITS[words[1]] < 10:
        return total + _TENS[words[0]] + _UNITS[words[1]]
    return None


def read_ordinal(text: str) -> int | None:
    """ "fifth" → 5, "twenty-third" → 23, "5" → 5."""
    stripped = text.strip().lower()
    if stripped.isdigit():
        return int(stripped)
    words = _words(stripped)
    if len(words) == 1:
        return _ORDINAL_UNITS.get(words[0]) or _ORDINAL_TENS.get(words[0])
    if len(words) == 2 and words[0] in ("twenty", "thirty") and words[1] in _ORDINAL_UNITS:
        value = _TENS[words[0]] + _ORDINAL_UNITS[words[1]]
        return value if _ORDINAL_UNITS[words[1]] < 10 else None
    return None


def read_year(text: str) -> int | None:
    """ "nineteen forty-five" → 1945, "two thousand and three" → 2003."""
    words = _words(text)
    if not words:
        return None
    if words[:2] == ["two", "thousand"]:
        rest = words[2:]
        if not rest:
            return 2000
        low = read_count(" ".join(rest))
        return 2000 + low if low is not None and low < 100 else None
    century = {"eighteen": 1800, "nineteen": 1900, "twenty": 2000}.get(words[0])
    if century is None or len(words) < 2:
        return None
    rest = words[1:]
    if rest == ["hundred"]:
        return century
    if rest[0] in ("oh", "o") and len(rest) == 2 and rest[1] in _UNITS and _UNITS[rest[1]] < 10:
        return century + _UNITS[rest[1]]
    low = read_count(" ".join(rest))
    return century + low if low is not None and 10 <= low < 100 else None
