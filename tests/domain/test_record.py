"""Record validators: ranges, formats, totals; each error names its field path and a reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.factories import FIXED_NOW, new_record, with_photo
from woundcare.domain.problems import FieldProblem, problems_from_validation_error
from woundcare.domain.record import (
    CaseRecord,
    Patient,
    Temperature,
    Tissue,
    Vitals,
)


def problems_for(**changes: Any) -> list[FieldProblem]:
    """Validate a synthetic record with nested ``changes`` (dotted keys) and return problems."""
    data = new_record().model_dump(mode="json")
    for dotted, value in changes.items():
        node = data
        parts = dotted.split(".")
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    with pytest.raises(ValidationError) as caught:
        CaseRecord.model_validate(data)
    return problems_from_validation_error(caught.value)


def single(problems: list[FieldProblem]) -> FieldProblem:
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.message
    assert problem.message[0].isupper()
    assert problem.message.endswith(".")
    return problem


def accepts(**changes: Any) -> CaseRecord:
    data = new_record().model_dump(mode="json")
    for dotted, value in changes.items():
        node = data
        parts = dotted.split(".")
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    return CaseRecord.model_validate(data)


# ---------------------------------------------------------------- patient


def test_date_of_birth_in_future_refused() -> None:
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    problem = single(problems_for(**{"patient.date_of_birth": tomorrow}))
    assert problem.path == "patient.date_of_birth"
    assert problem.code == "date_in_future"
    assert "future" in problem.message
    assert tomorrow not in problem.message  # input values are never echoed
    today = datetime.now(UTC).date()
    assert accepts(**{"patient.date_of_birth": today.isoformat()}).patient.date_of_birth == today


def test_date_of_birth_format() -> None:
    problem = single(problems_for(**{"patient.date_of_birth": "03/04/1961"}))
    assert problem.path == "patient.date_of_birth"
    assert "YYYY-MM-DD" in problem.message


@given(st.integers(min_value=-50, max_value=300))
def test_age_accepted_iff_0_to_120(age: int) -> None:
    if 0 <= age <= 120:
        assert Patient(age=age).age == age
    else:
        with pytest.raises(ValidationError) as caught:
            Patient(age=age)
        problem = single(problems_from_validation_error(caught.value, prefix="patient"))
        assert problem.path == "patient.age"
        assert ("at least 0" if age < 0 else "at most 120") in problem.message


def test_unknown_fields_refused_everywhere() -> None:
    problem = single(problems_for(**{"patient.favourite_colour": "blue"}))
    assert problem.path == "patient.favourite_colour"
    assert problem.code == "extra_forbidden"
    assert problem.message == "This field is not part of the record."
    problem = single(problems_for(diagnosis="none"))
    assert problem.path == "diagnosis"
    problem = single(problems_for(**{"vitals.heart_rate.alarm": True}))
    assert problem.path == "vitals.heart_rate.alarm"


def test_phone_and_email_formats() -> None:
    assert single(problems_for(**{"patient.contact.phone": "call me"})).path == (
        "patient.contact.phone")
    assert single(problems_for(**{"patient.contact.email": "not-an-email"})).path == (
        "patient.contact.email")
    ok = accepts(**{"patient.contact.phone": "+44 (0)20 7946 0000",
                    "patient.contact.email": "testy@example.com"})
    assert ok.patient.contact.phone == "+44 (0)20 7946 0000"


def test_enum_value_error_lists_options() -> None:
    problem = single(problems_for(**{"patient.sex": "robot"}))
    assert problem.path == "patient.sex"
    assert problem.code == "enum"
    assert "female" in problem.message
    assert "unspecified" in problem.message


# ---------------------------------------------------------------- timestamps


@pytest.mark.parametrize("path", ["created_at", "vitals.pain.captured_at",
                                  "time_assessment.assessed_at"])
def test_timezone_naive_datetimes_refused(path: str) -> None:
    problem = single(problems_for(**{path: "2026-01-15T09:30:00"}))
    assert problem.path == path
    assert problem.code == "timezone_aware"
    assert "time zone" in problem.message
    aware = accepts(**{path: "2026-01-15T09:30:00+01:00"})
    assert aware.model_dump(mode="json") is not None


# ---------------------------------------------------------------- tissue


@given(st.lists(st.integers(min_value=-200, max_value=1200), min_size=4, max_size=4))
@example([7, 834, 159, 0])  # 0.7 + 83.4 + 15.9 is 100.00000000000001 in binary floats
def test_tissue_accepted_iff_each_in_range_and_total_at_most_100(tenths: list[int]) -> None:
    """Percentages with one decimal (as a clinician types them): exact arithmetic in tenths
    decides what must be accepted."""
    names = ["granulation_pct", "slough_pct", "necrotic_pct", "epithelial_pct"]
    values = {n: t / 10 for n, t in zip(names, tenths, strict=True)}
    in_range = all(0 <= t <= 1000 for t in tenths)
    should_accept = in_range and sum(tenths) <= 1000
    try:
        tissue = Tissue(**values)
    except ValidationError as exc:
        assert not should_accept, values
        problems = problems_from_validation_error(exc, prefix="time_assessment.tissue")
        if in_range:
            assert [p.code for p in problems] == ["tissue_total"]
            assert problems[0].path == "time_assessment.tissue"
            assert "at most" in problems[0].message
        else:
            bad = {f"time_assessment.tissue.{n}" for n, t in zip(names, tenths, strict=True)
                   if not 0 <= t <= 1000}
            assert {p.path for p in problems} == bad
    else:
        assert should_accept, values
        assert [getattr(tissue, n) for n in names] == [values[n] for n in names]


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=3, max_size=3)
       .filter(lambda t: sum(t) <= 1000), st.integers(min_value=-3, max_value=3))
def test_tissue_totals_near_100(tenths: list[int], delta: int) -> None:
    """Totals within a few tenths of 100: accepted exactly when the typed values add up to at
    most 100 (no floating-point surprises at the boundary)."""
    last = 1000 - sum(tenths) + delta
    if last < 0:
        return
    values = [t / 10 for t in [*tenths, last]]
    names = ["granulation_pct", "slough_pct", "necrotic_pct", "epithelial_pct"]
    kwargs = dict(zip(names, values, strict=True))
    if delta <= 0:
        assert Tissue(**kwargs).total() == pytest.approx(sum(values))
    else:
        with pytest.raises(ValidationError):
            Tissue(**kwargs)


def test_tissue_partial_values_allowed() -> None:
    assert Tissue(slough_pct=100).total() == 100
    assert Tissue().total() == 0


# ---------------------------------------------------------------- vitals

RANGES = {
    "heart_rate": (20, 300),
    "respiratory_rate": (2, 80),
    "pain": (0, 10),
}


@pytest.mark.parametrize("name", list(RANGES))
@given(value=st.integers(min_value=-20, max_value=400))
def test_integer_vital_ranges(name: str, value: int) -> None:
    low, high = RANGES[name]
    try:
        Vitals.model_validate({name: {"value": value}})
    except ValidationError as exc:
        assert not low <= value <= high
        problem = single(problems_from_validation_error(exc, prefix="vitals"))
        assert problem.path == f"vitals.{name}.value"
    else:
        assert low <= value <= high


@given(st.floats(min_value=-50, max_value=150, allow_nan=False))
def test_oxygen_saturation_0_to_100(value: float) -> None:
    try:
        Vitals.model_validate({"oxygen_saturation": {"value": value}})
    except ValidationError as exc:
        problem = single(problems_from_validation_error(exc, prefix="vitals"))
        assert not 0 <= value <= 100
        assert problem.path == "vitals.oxygen_saturation.value"
    else:
        assert 0 <= value <= 100


@given(st.integers(min_value=0, max_value=350), st.integers(min_value=0, max_value=250))
def test_blood_pressure_ranges_and_order(systolic: int, diastolic: int) -> None:
    in_range = 40 <= systolic <= 300 and 20 <= diastolic <= 200
    try:
        Vitals.model_validate({"blood_pressure": {"systolic": systolic, "diastolic": diastolic}})
    except ValidationError as exc:
        problems = problems_from_validation_error(exc, prefix="vitals")
        if in_range:
            assert systolic <= diastolic
            problem = single(problems)
            assert problem.code == "bp_order"
            assert problem.path == "vitals.blood_pressure"
            assert "Systolic" in problem.message
        else:
            assert {p.path for p in problems} <= {"vitals.blood_pressure.systolic",
                                                  "vitals.blood_pressure.diastolic"}
    else:
        assert in_range
        assert systolic > diastolic


@pytest.mark.parametrize(("unit", "low", "high"), [("C", 25.0, 45.0), ("F", 77.0, 113.0)])
@given(value=st.floats(min_value=-100, max_value=300, allow_nan=False))
def test_temperature_range_per_unit(unit: str, low: float, high: float, value: float) -> None:
    try:
        Temperature(value=value, unit=unit)
    except ValidationError as exc:
        assert not low <= value <= high
        problem = single(problems_from_validation_error(exc, prefix="vitals.temperature"))
        assert problem.code == "temperature_range"
        assert problem.path == "vitals.temperature"
        assert unit in problem.message
    else:
        assert low <= value <= high


def test_temperature_same_number_differs_by_unit() -> None:
    assert Temperature(value=100.4, unit="F").value == 100.4
    with pytest.raises(ValidationError):
        Temperature(value=100.4, unit="C")
    assert Temperature(value=38.0, unit="C").value == 38.0
    with pytest.raises(ValidationError):
        Temperature(value=38.0, unit="F")


@given(st.floats(min_value=-100, max_value=1000, allow_nan=False))
def test_temperature_without_unit_must_be_possible_in_some_unit(value: float) -> None:
    possible = 25.0 <= value <= 113.0
    try:
        Temperature(value=value)
    except ValidationError:
        assert not possible
    else:
        assert possible


def test_unknown_vital_cannot_carry_a_value() -> None:
    with pytest.raises(ValidationError) as caught:
        Vitals.model_validate({"heart_rate": {"value": 70, "unknown": True}})
    problem = single(problems_from_validation_error(caught.value, prefix="vitals"))
    assert problem.code == "unknown_with_value"
    assert problem.path == "vitals.heart_rate"


def test_units_are_fixed_strings() -> None:
    problem = single(problems_for(**{"vitals.heart_rate": {"value": 70, "unit": "Hz"}}))
    assert problem.path == "vitals.heart_rate.unit"
    assert problem.code == "string_pattern_mismatch"


# ---------------------------------------------------------------- other record rules


def test_follow_up_closed_consistently() -> None:
    base = {"follow_up_id": "00000000-0000-4000-8000-000000000001", "question": "Which one?",
            "field_path": "patient.age", "reason": "ambiguous",
            "created_at": FIXED_NOW.isoformat()}
    problem = single(problems_for(follow_ups=[{**base, "status": "resolved"}]))
    assert problem.path == "follow_ups.0"
    assert problem.code == "answer_required"
    problem = single(problems_for(follow_ups=[{**base, "status": "dismissed"}]))
    assert problem.code == "reason_required"


def test_photo_must_refer_to_a_registered_artifact() -> None:
    record = with_photo(new_record(), __import__("uuid").UUID(int=7))
    data = record.model_dump(mode="json")
    data["artifacts"] = []
    with pytest.raises(ValidationError) as caught:
        CaseRecord.model_validate(data)
    problem = single(problems_from_validation_error(caught.value))
    assert problem.code == "unknown_artifact"
    assert problem.path == "body"


def test_assignment_is_validated() -> None:
    patient = Patient()
    with pytest.raises(ValidationError):
        patient.age = 121
    patient.age = 120
    assert patient.age == 120


def test_error_messages_never_echo_input() -> None:
    secret = "ZZSECRET-DATA-" + "x" * 5000
    problems = problems_for(**{"patient.first_name": secret})
    assert problems[0].path == "patient.first_name"
    assert "100" in problems[0].message
    assert all("ZZSECRET" not in p.message for p in problems)


def test_date_of_birth_too_old() -> None:
    old = date(1850, 1, 1).isoformat()
    problem = single(problems_for(**{"patient.date_of_birth": old}))
    assert problem.code == "date_too_old"
