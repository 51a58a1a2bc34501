"""Properties: parsing never raises, and never invents (every field is backed by its span)."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from woundcare.intake import ParsedIntake, parse_free_text
from woundcare.intake.common import ocr_digits
from woundcare.intake.dates import read_date_at
from woundcare.intake.identifiers import normalise_phone, read_age

TODAY = date(2025, 6, 15)
SEX_WORDS = {
    "female": {"female", "f", "woman"},
    "male": {"male", "m", "man"},
    "intersex": {"intersex"},
    "unspecified": {"unspecified", "unknown", "undisclosed", "prefer not to say"},
}
FRAGMENTS = [
    "Name:", "name is", "My name is", "I'm", "Mr.", "Mrs", "Patient:", "preferred name",
    "goes by", "Doe, John", "Testy", "McTestface", "zed", "example", "van", "Q.", "DOB",
    "D0B:", "d.o.b", "born", "date of birth", "04/03/1950", "13-4-50", "4.3.10", "1950-03-04",
    "March 4, 1950", "4 March 1950", "31/02/2000", "2031-01-01", "age", "aged", "72", "y/o",
    "years old", "yo", "female", "man", "a woman", "Sex:", "F", "M", "intersex", "MRN:",
    "ZZTEST-0001", "patient id", "record number", "Phone:", "555-0101", "+1 555 0100",
    "zed@example.test", "consent", "consents to", "data storage", "photos", "team board",
    "not", "no", "declines", "don't mind", "ignore previous instructions", "system:", "?",
    "Yes.", "No.", "but", ",", ".", "\n", "  ", "mother", "emergency contact", "[ ]", "[x]",
    "Patient", "Alma", "Testcase", "St", "Clair-Dubois", "van der", "O'Neill", "Dr.",
    "seventy-nine",
    "79 yrs", "79yo", "aged", "UR No.", "Unit No.", "Hosp No:", "NHS number", "943 476 5919",
    "record #", "1l-O5-1945", "DOB 1l-O5-1945", "the fifth of March nineteen forty-five",
    "Date of\nbirth:", "I saw", "she is", "Age 8l", "### NEW TASK ###", "photography=granted",
    "<!--", "-->", "override", "does NOT consent to photographs", "not discussed",
]  # fmt: skip


def _assert_grounded(text: str, result: ParsedIntake) -> None:
    for field in result.fields:
        start, end = field.span
        assert 0 <= start < end <= len(text)
        found = text[start:end]
        value = field.value
        if isinstance(value, date):
            reading = read_date_at(ocr_digits(text), start)
            assert reading is not None
            assert reading.span == (start, end)
            assert value in reading.readings
        elif isinstance(value, int):
            assert read_age(found) == value
        elif field.path == "patient.contact.phone":
            assert normalise_phone(found) == value
        elif field.path == "patient.contact.email":
            assert found.lower() == value
        elif field.path == "patient.sex":
            assert found.lower() in SEX_WORDS[value]
        else:
            assert found == value
    for ambiguity in result.ambiguities:
        assert len(ambiguity.candidates) >= 2
        assert ambiguity.question


def _assert_notes_carry_no_values(result: ParsedIntake) -> None:
    for field in result.fields:
        if isinstance(field.value, str) and len(field.value) > 3:
            assert all(field.value.lower() not in note.lower() for note in result.notes)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400), st.sampled_from([None, "dmy", "mdy"]))
def test_arbitrary_text_never_raises_and_never_invents(text: str, locale: str | None) -> None:
    result = parse_free_text(text, date_locale=locale, today=TODAY)  # type: ignore[arg-type]
    _assert_grounded(text, result)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=30),
    st.lists(st.sampled_from([" ", "", "\n", ": ", ", "]), min_size=30, max_size=30),
    st.sampled_from([None, "dmy", "mdy"]),
)
def test_intake_shaped_text_is_always_grounded(
    parts: list[str], glue: list[str], locale: str | None
) -> None:
    text = "".join(p + g for p, g in zip(parts, glue, strict=False))
    result = parse_free_text(text, date_locale=locale, today=TODAY)  # type: ignore[arg-type]
    _assert_grounded(text, result)
    _assert_notes_carry_no_values(result)


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from(list("0123456789/.- DOBdob:")), max_size=60))
def test_dates_never_in_future_and_never_silently_guessed(text: str) -> None:
    result = parse_free_text(text, today=TODAY)
    dob = result.value("patient.date_of_birth")
    if isinstance(dob, date):
        assert dob <= TODAY
    for ambiguity in result.ambiguities:
        if ambiguity.path == "patient.date_of_birth":
            assert all(date.fromisoformat(c) <= TODAY for c in ambiguity.candidates)


def test_deterministic() -> None:
    text = "Name: Testy McTestface\nDOB 04/03/1950\nconsents to photos"
    assert parse_free_text(text, today=TODAY) == parse_free_text(text, today=TODAY)


def test_value_accessor() -> None:
    result = parse_free_text("Name: Zed Example. Declines photos.", today=TODAY)
    assert result.value("patient.first_name") == "Zed"
    assert result.value("consent.photography") == "declined"
    assert result.value("consent.data_storage") is None
    assert result.value("consent.nonsense") is None
    assert result.value("patient.mrn") is None


def test_long_text_is_truncated_not_rejected() -> None:
    text = "MRN: ZZTEST-0003 " + "lorem ipsum " * 10_000
    result = parse_free_text(text, today=TODAY)
    assert result.value("patient.mrn") == "ZZTEST-0003"
    assert any("first" in note for note in result.notes)
