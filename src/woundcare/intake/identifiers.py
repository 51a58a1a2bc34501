"""Age, sex, MRN, phone and e-mail.

Sex is read only from explicit words ("sex: F", "female", "a 72 year old man", "I am a
woman", "intersex"), never from titles (Mr/Mrs), pronouns or names. "Gender" is a different
thing and is not mapped to sex (a note says it was seen). A bare "man"/"woman" counts only in
"I am a woman" / "is a man" / "72 year old man" shapes; a bare "female"/"male" counts unless it
describes someone else ("male nurse", "my wife is female"...).
"""

from __future__ import annotations

import re

from woundcare.intake.common import SEP, SEP_LINE, Findings, ocr_digits, third_party_context
from woundcare.intake.numbers import CARDINAL, read_count

AGE, SEX, MRN = "patient.age", "patient.sex", "patient.mrn"
PHONE, EMAIL = "patient.contact.phone", "patient.contact.email"
MAX_AGE = 120

_NUM = r"(?:(?P<n>\d[0-9lIOoS]{0,2}|[lI]\d{1,2})(?![\w]|[.,]\d)|(?P<w>" + CARDINAL + r")\b)"
_NOT_DURATION_AFTER = (
    r"(?![ \t]{0,8}(?:-[ \t]{0,8})?(?:weeks?|wks?|days?|months?|mo?s?\b|hours?|hrs?\b|minutes?"
    r"|mins?|kg|kilos?|lbs?|pounds|cm|mm|%|stone|st\b|ft|feet|times|units?))"
)
_YEARS = r"(?:years?|yrs?|yr\.|y)"
_AGE_PATTERNS = (
    # "Age: 79", "aged seventy-nine", "Age\n84", "Age 8l" (OCR: a label's value is digits)
    re.compile(r"(?<![^\W\d_])(?:age|aged|ag[e3])(?![^\W\d_])(?:" + SEP_LINE + "|" + SEP + ")"
               + _NUM + _NOT_DURATION_AFTER, re.I),
    # "79 years old", "79-year-old", "79 y/o", "79yo", "79 y.o.", "seventy-nine year old"
    re.compile(
        r"(?<![\w.])(?:(?P<n>\d{1,3})|(?P<w>" + CARDINAL + r"))[ \t]{0,8}(?:-[ \t]{0,8})?"
        r"(?:" + _YEARS + r"[ \t]{0,8}(?:-[ \t]{0,8})?(?:old\b|of[ \t]{1,8}age\b|/[ \t]{0,8}o\b"
        r"|o\b|\.[ \t]{0,2}o\.?)|y/?o\b|y\.o\.?)",
        re.I,
    ),
    # "79 yrs", "66yrs, F", "55 years, female": a bare count of years, not a duration
    re.compile(
        r"(?<![\w.])(?<!for )(?<!since )(?<!past )(?<!last )(?<!over )(?<!about )(?<!within )"
        r"(?<!after )(?<!of )(?<!in )(?<!nearly )(?<!almost )(?<!than )"
        r"(?P<n>\d{1,3})[ \t]{0,8}(?:years|yrs?)\b(?![ \t]{0,8}(?:ago|of\b|history|hx|duration"
        r"|since|before|earlier|later|previously|prior|before|post|back|with|in\b|on\b))",
        re.I,
    ),
    re.compile(
        r"(?<![^\W\d_])(?:i'm|i’m|i[ \t]{1,8}am)[ \t]{1,8}" + _NUM
        + r"(?![ \t]{0,8}(?:kg|kilos?|lbs?|pounds|cm|mm|%|stone|st\b|ft|feet|weeks|days|months"
        r"|minutes|times|o['’]?clock|percent|\w+ing\b))",
        re.I,
    ),
    # "She is 62.", "The patient, Ms Rhoda Samplewick, is 62", "he is now ninety"
    re.compile(
        r"(?<![^\W\d_])(?:he|she|patient|pt|client|who)\b(?:(?![.;\n]|\b(?:bp|blood|temp\w*|pulse"
        r"|rate|score|pain|weight|height|sat\w*|spo2|hr|rr|glucose|level|bmi|size|length|width"
        r"|depth|area|wound|ulcer|number|no|id|mrn|room|bed|ward|dose)\b).){0,60}?\bis"
        r"[ \t]{1,8}(?:now[ \t]{1,8})?" + _NUM
        + r"(?=[ \t]{0,8}(?:[.,;)!]|$|\n|and\b|with\b|but\b))",
        re.I,
    ),
)

_SEX_WORDS = {
    "female": "female", "f": "female", "woman": "female", "male": "male", "m": "male",
    "man": "male", "intersex": "intersex", "unspecified": "unspecified",
    "unknown": "unspecified", "prefer not to say": "unspecified", "undisclosed": "unspecified",
}  # fmt: skip
_SEX_LABEL = re.compile(
    r"(?<![^\W\d_])sex(?:[ \t]{0,8}/[ \t]{0,8}gender)?(?:[ \t]{0,8}[:=\-–][ \t]{0,8}"
    r"|[ \t]{1,8}is[ \t]{1,8}|[ \t]{1,8})"
    r"(?P<v>female|male|intersex|unspecified|unknown|undisclosed|prefer not to say|f|m)\b",
    re.I,
)
_SEX_BARE = re.compile(r"(?<![^\W\d_])(?P<v>female|male|intersex)\b", re.I)
_SEX_PERSON = re.compile(
    r"(?:(?<![^\W\d_])(?:i[ \t]{1,8}am|i'm|i’m|is)[ \t]{1,8}an?[ \t]{1,8}"
    r"|(?:\d{1,3}|" + CARDINAL + r")[ \t]{0,8}(?:-[ \t]{0,8})?(?:years?|yrs?)[ \t]{0,8}"
    r"(?:-[ \t]{0,8})?old[ \t]{1,8}"
    r"|\d{1,3}[ \t]{0,8}y/?o[ \t]{1,8})"
    r"(?P<v>woman|man)\b",
    re.I,
)
_SEX_AFTER_AGE = re.compile(
    r"(?<![\w.])\d{1,3}[ \t]{0,8}(?:y/?o|yrs?"
    r"|years?(?:[ \t]{0,8}old)?)[ \t]{0,8},?[ \t]{0,8}(?P<v>[FM])\b"
)
_ROLE_AFTER = re.compile(
    r"[ \t]{1,8}(?:nurse|doctor|clinician|carer|caregiver|staff|partner|friend|relative|"
    r"chaperone|colleague|student|physician|surgeon|gp|dog|cat)\b",
    re.I,
)
_GENDER = re.compile(r"(?<![^\W\d_/])gender(?![ \t]{0,8}/)\b", re.I)
_AFTER_GENDER_LABEL = re.compile(r"gender[ \t]{0,8}(?:[:=\-–]|is)?[ \t]{0,8}$", re.I)

_NO = r"(?:number|num\b\.?|no\b\.?|nr\b\.?|#|id\b|i\.d\.)"
_MRN_LABEL = (
    r"(?<![^\W\d_])(?:m[ \t]{0,8}\.?[ \t]{0,8}r[ \t]{0,8}\.?[ \t]{0,8}n\b\.?"
    r"|mr[ \t]{0,8}(?:#|no\b\.?|number)"
    r"|(?:medical[ \t]{1,8}|health[ \t]{1,8})?record[ \t]{0,8}\n?[ \t]{0,8}" + _NO
    + r"|(?:patient|pt|client|resident)[ \t]{0,8}\n?[ \t]{0,8}(?:" + _NO
    + r"|identifier|ident\b\.?)"
    r"|hosp(?:ital)?\b\.?[ \t]{0,8}\n?[ \t]{0,8}" + _NO
    + r"|unit[ \t]{0,8}\n?[ \t]{0,8}" + _NO
    + r"|u\.?[ \t]{0,2}r\.?[ \t]{0,8}(?:" + _NO + r")?(?=[ \t]{0,8}[:#.\-–]|[ \t]{1,8}\d)"
    r"|urn\b|chart[ \t]{1,8}" + _NO
    + r"|nhs[ \t]{0,8}\n?[ \t]{0,8}(?:" + _NO + r")?|chi[ \t]{1,8}" + _NO + r")"
)
# An NHS-style number written in groups ("943 476 5919") is one value.
_GROUPED = r"\d{3}[ \t]\d{3}[ \t]\d{4}(?![\w])"
_MRN = re.compile(
    _MRN_LABEL + "(?:" + SEP_LINE + "|" + SEP + r")"
    r"(?P<v>" + _GROUPED + r"|[A-Za-z0-9](?:[A-Za-z0-9._/\-]{0,62}[A-Za-z0-9])?)",
    re.I,
)

_PHONE_LABEL = re.compile(
    r"(?<![^\W\d_])(?:ph[o0]ne(?:[ \t]{1,8}number)?|tel(?:ephone)?|mobile|cell(?:[ \t]{0,8}phone)?"
    r"|ph"
    r"|contact[ \t]{1,8}number|phone[ \t]{1,8}no|call[ \t]{1,8}me[ \t]{1,8}(?:at|on)"
    r"|reach[ \t]{1,8}me[ \t]{1,8}(?:at|on)"
    r"|my[ \t]{1,8}number[ \t]{1,8}is)\.?" + SEP + r"(?P<v>\+?[ \t]{0,8}\(?\d[\d \t().\-]{3,22}\d)",
    re.I,
)
_PHONE_BARE = re.compile(
    r"(?<![\w+/.\-])(?P<v>\+\d[\d \t().\-]{6,20}\d|\(\d{3}\)[ \t]{0,8}\d{3}[ \t.\-]\d{4}"
    r"|\d{3}[.\-]\d{3}[.\-]\d{4})(?![\w/.\-]*\d)"
)
_EMAIL = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9_%+\-])?@"
    r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?){0,8}"
    r"\.[A-Za-z]{2,24}(?![\w\-])"
)


def normalise_phone(raw: str) -> str | None:
    """Digits with an optional leading "+", or ``None`` unless 5-15 digits."""
    digits = re.sub(r"\D", "", raw)
    if not 5 <= len(digits) <= 15:
        return None
    return ("+" if raw.lstrip().startswith("+") else "") + digits


# "Age/Sex: 79/F", "Age/sex 64 M"
_AGE_SEX = re.compile(
    r"(?<![^\W\d_])age[ \t]{0,8}/[ \t]{0,8}sex(?:" + SEP_LINE + "|" + SEP + r")"
    r"(?P<n>\d{1,3})[ \t]{0,8}[/,]?[ \t]{0,8}(?P<v>[FMfm])\b",
    re.I,
)


def read_age(found: str) -> int | None:
    """An age as written: digits (OCR look-alikes read as digits) or words."""
    digits = ocr_digits(found)
    return int(digits) if digits.isdigit() else read_count(found)


def extract_age(text: str, findings: Findings) -> None:
    for pattern in _AGE_PATTERNS:
        for m in pattern.finditer(text):
            group = "n" if m.group("n") is not None else "w"
            start, end = m.span(group)
            if third_party_context(text, m.start()):
                continue
            age = read_age(m.group(group))
            if age is None:
                continue
            if age > MAX_AGE:
                findings.note(f"An age above {MAX_AGE} was ignored.")
                continue
            findings.add(AGE, age, start, end)
    for m in _AGE_SEX.finditer(text):
        if not third_party_context(text, m.start()):
            start, end = m.span("n")
            age = int(m.group("n"))
            if age > MAX_AGE:
                findings.note(f"An age above {MAX_AGE} was ignored.")
                continue
            findings.add(AGE, age, start, end)


def extract_sex(text: str, findings: Findings) -> None:
    for m in _AGE_SEX.finditer(text):
        if not third_party_context(text, m.start()):
            findings.add(SEX, _SEX_WORDS[m.group("v").lower()], *m.span("v"))
    for m in _SEX_LABEL.finditer(text):
        findings.add(SEX, _SEX_WORDS[m.group("v").lower()], *m.span("v"))
    for pattern in (_SEX_BARE, _SEX_PERSON, _SEX_AFTER_AGE):
        for m in pattern.finditer(text):
            start, end = m.span("v")
            if third_party_context(text, m.start()) or _ROLE_AFTER.match(text, end):
                continue
            if _AFTER_GENDER_LABEL.search(text, max(0, start - 20), start):
                continue
            findings.add(SEX, _SEX_WORDS[m.group("v").lower()], start, end)
    if _GENDER.search(text):
        findings.note("Gender was mentioned; sex is not inferred from it.")


# Read aloud digit by digit (a transcribed voice note): "record number four four eight eight
# one two", "hospital number is nine oh one zero". Four or more digit words, and no number
# word after them ("... one two hundred" is not a record number).
_DIGIT_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3",
                "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
_MRN_SPOKEN = re.compile(
    _MRN_LABEL + r"(?:[ \t]{0,8}[:\-–][ \t]{0,8}|[ \t]{1,8}(?:is[ \t]{1,8})?)"
    r"(?P<v>" + _DIGIT_WORD + r"(?:[ \t,]{1,8}" + _DIGIT_WORD + r"){3,19})\b"
    r"(?![ \t,]{0,8}(?:" + _DIGIT_WORD + r"|hundred|thousand|ten|eleven|twelve|\w*teen"
    r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|point)\b)",
    re.I,
)


def extract_mrn(text: str, findings: Findings) -> None:
    for m in _MRN_SPOKEN.finditer(text):
        words = re.findall(r"[a-z]+", m.group("v"), re.I)
        digits = "".join(_DIGIT_WORDS[w.lower()] for w in words)
        findings.add(MRN, digits, *m.span("v"))
    for m in _MRN.finditer(text):
        value = m.group("v")
        if any(ch.isdigit() for ch in value) and len(value) <= 64:
            findings.add(MRN, value, *m.span("v"))


def extract_contact(text: str, findings: Findings) -> None:
    taken: list[tuple[int, int]] = []
    for pattern in (_PHONE_LABEL, _PHONE_BARE):
        for m in pattern.finditer(text):
            start, end = m.span("v")
            if any(start < e and s < end for s, e in taken):
                continue
            if third_party_context(text, m.start()):
                continue
            value = normalise_phone(m.group("v"))
            if value is not None:
                taken.append((start, end))
                findings.add(PHONE, value, start, end)
    for m in _EMAIL.finditer(text):
        if not third_party_context(text, m.start()):
            findings.add(EMAIL, m.group().lower(), *m.span())
