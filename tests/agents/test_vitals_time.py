"""Vitals (units, capture times, F→C keeping the original, unknown) and T.I.M.E. agents."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from tests.factories import (
    CLINICIAN_ID,
    COMPLETE_TIME,
    FIXED_NOW,
    complete_record,
    patch,
)
from woundcare.agents.base import AgentContext
from woundcare.agents.time_assessment import TimeAgent
from woundcare.agents.vitals import VitalsAgent, to_celsius
from woundcare.domain.enums import ExudateLevel, TemperatureUnit, WorkflowState
from woundcare.domain.errors import InputRejected
from woundcare.domain.guards import time_captured, vitals_captured
from woundcare.domain.inputs import TimeInput, VitalsInput
from woundcare.domain.record import CaseRecord, TimeAssessment, Vitals

VITALS = VitalsAgent()
TIME = TimeAgent()
AT = (FIXED_NOW - timedelta(minutes=3)).isoformat()


def vitals_input(data: dict[str, Any]) -> VitalsInput:
    return VitalsInput(vitals=Vitals.model_validate(data))


def vitals_record() -> CaseRecord:
    return complete_record(WorkflowState.VITALS)


def test_fahrenheit_is_normalised_and_the_original_kept(ctx: AgentContext) -> None:
    result = VITALS.run(vitals_record(), vitals_input(
        {"temperature": {"value": 99.1, "unit": "F", "site": "oral", "captured_at": AT}}), ctx)
    temp = result.record.vitals.temperature
    assert temp.value == 99.1
    assert temp.unit is TemperatureUnit.F
    assert temp.celsius == pytest.approx((99.1 - 32) * 5 / 9, abs=0.05)
    assert temp.celsius == 37.3


def test_celsius_is_kept_as_is(ctx: AgentContext) -> None:
    result = VITALS.run(vitals_record(), vitals_input(
        {"temperature": {"value": 36.6, "unit": "C"}}), ctx)
    assert result.record.vitals.temperature.celsius == 36.6


@pytest.mark.parametrize(("value", "unit", "celsius"), [
    (98.42, TemperatureUnit.F, 36.9), (77.0, TemperatureUnit.F, 25.0),
    (113.0, TemperatureUnit.F, 45.0), (40.04, TemperatureUnit.C, 40.0)])
def test_to_celsius(value: float, unit: TemperatureUnit, celsius: float) -> None:
    assert to_celsius(value, unit) == celsius


def test_client_supplied_celsius_is_recomputed(ctx: AgentContext) -> None:
    result = VITALS.run(vitals_record(), vitals_input(
        {"temperature": {"value": 100.4, "unit": "F", "celsius": 25.0}}), ctx)
    assert result.record.vitals.temperature.celsius == 38.0


def test_units_filled_for_single_unit_vitals_only(ctx: AgentContext) -> None:
    result = VITALS.run(vitals_record(), vitals_input({
        "blood_pressure": {"systolic": 118, "diastolic": 76},
        "heart_rate": {"value": 64},
        "respiratory_rate": {"value": 14},
        "oxygen_saturation": {"value": 98},
        "temperature": {"value": 36.8},
        "pain": {"value": 1},
    }), ctx)
    v = result.record.vitals
    assert (v.blood_pressure.unit, v.heart_rate.unit, v.respiratory_rate.unit,
            v.oxygen_saturation.unit) == ("mmHg", "bpm", "breaths/min", "%")
    assert v.temperature.unit is None  # C or F must be chosen
    assert v.temperature.celsius is None
    assert v.pain.scale is None
    codes = {b.code for b in vitals_captured(result.record)}
    assert "vitals.temperature.unit.missing" in codes
    assert "vitals.pain.unit.missing" in codes
    assert "vitals.heart_rate.unit.missing" not in codes


def test_patch_keeps_earlier_values(ctx: AgentContext) -> None:
    first = VITALS.run(vitals_record(), vitals_input(
        {"temperature": {"value": 99.1, "unit": "F"}}), ctx).record
    second = VITALS.run(first, vitals_input({"temperature": {"captured_at": AT}}), ctx).record
    temp = second.vitals.temperature
    assert (temp.value, temp.unit, temp.celsius) == (99.1, TemperatureUnit.F, 37.3)
    assert temp.captured_at is not None


def test_unknown_clears_values_and_counts_as_recorded(ctx: AgentContext) -> None:
    first = VITALS.run(vitals_record(), vitals_input(
        {"heart_rate": {"value": 80, "captured_at": AT}}), ctx).record
    unknown = VITALS.run(first, vitals_input({"heart_rate": {"unknown": True}}), ctx)
    hr = unknown.record.vitals.heart_rate
    assert hr.unknown is True
    assert hr.value is None
    assert "Heart rate" not in VITALS.missing(unknown.record)
    assert "vitals.heart_rate.missing" not in {b.code for b in vitals_captured(unknown.record)}


def test_a_value_given_after_unknown_replaces_unknown(ctx: AgentContext) -> None:
    unknown = VITALS.run(vitals_record(), vitals_input(
        {"oxygen_saturation": {"unknown": True}}), ctx).record
    measured = VITALS.run(unknown, vitals_input(
        {"oxygen_saturation": {"value": 97, "captured_at": AT}}), ctx).record
    spo2 = measured.vitals.oxygen_saturation
    assert spo2.value == 97
    assert spo2.unknown is False
    assert spo2.unit == "%"


def test_missing_vitals_are_listed(ctx: AgentContext) -> None:
    result = VITALS.run(vitals_record(), vitals_input(
        {"heart_rate": {"value": 80, "captured_at": AT}}), ctx)
    assert VITALS.missing(result.record) == ["Blood pressure", "Respiratory rate",
                                             "Temperature", "Oxygen saturation", "Pain score"]
    assert result.messages
    assert "Blood pressure" in result.messages[0]


@pytest.mark.parametrize("data", [
    {"heart_rate": {"value": 400}},
    {"respiratory_rate": {"value": 0}},
    {"oxygen_saturation": {"value": 101}},
    {"pain": {"value": 11}},
    {"blood_pressure": {"systolic": 80, "diastolic": 90}},
    {"temperature": {"value": 131, "unit": "F"}},
    {"temperature": {"value": 60, "unit": "C"}},
])
def test_impossible_values_rejected_at_the_boundary(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        vitals_input(data)


def test_merged_values_are_revalidated(ctx: AgentContext) -> None:
    record = VITALS.run(vitals_record(), vitals_input(
        {"blood_pressure": {"systolic": 120}, "temperature": {"value": 37.0, "unit": "C"}}),
        ctx).record
    with pytest.raises(InputRejected) as caught:
        VITALS.run(record, vitals_input({"blood_pressure": {"diastolic": 130}}), ctx)
    assert [(p.path, p.code) for p in caught.value.problems] == [
        ("vitals.blood_pressure", "bp_order")]
    with pytest.raises(InputRejected) as caught:
        VITALS.run(record, vitals_input({"temperature": {"unit": "F"}}), ctx)
    assert [p.path for p in caught.value.problems] == ["vitals.temperature"]
    assert "F" in caught.value.problems[0].message


# ---------------------------------------------------------------- T.I.M.E.


def time_record() -> CaseRecord:
    return complete_record(WorkflowState.TIME)


def time_input(data: dict[str, Any]) -> TimeInput:
    return TimeInput(assessment=TimeAssessment.model_validate(data))


def test_time_assessment_is_captured_with_assessor(ctx: AgentContext) -> None:
    result = TIME.run(time_record(), time_input(COMPLETE_TIME), ctx)
    t = result.record.time_assessment
    assert t.tissue.total() == 100
    assert t.moisture.exudate_level is ExudateLevel.SCANT
    assert t.assessed_by == CLINICIAN_ID
    assert t.assessed_at == FIXED_NOW
    assert TIME.missing(result.record) == []
    assert result.messages == ()
    assert time_captured(result.record) == []


def test_time_missing_items_are_listed(ctx: AgentContext) -> None:
    result = TIME.run(time_record(), time_input(
        {"tissue": {"granulation_pct": 100}}), ctx)
    assert TIME.missing(result.record) == [
        "time_assessment.infection.odour", "time_assessment.infection.erythema",
        "time_assessment.moisture.exudate_level", "time_assessment.edge.condition"]
    assert result.messages == ("Still to record: odour, erythema, exudate level, "
                               "edge condition.",)
    assert [b.code for b in time_captured(result.record)] == ["time.exudate.missing"]


def test_exudate_unknown_is_accepted(ctx: AgentContext) -> None:
    result = TIME.run(time_record(), time_input({"moisture": {"exudate_level": "unknown"}}),
                      ctx)
    assert time_captured(result.record) == []


def test_tissue_total_over_100_after_merge_is_rejected(ctx: AgentContext) -> None:
    first = TIME.run(time_record(), time_input({"tissue": {"granulation_pct": 70}}), ctx)
    with pytest.raises(InputRejected) as caught:
        TIME.run(first.record, time_input({"tissue": {"slough_pct": 40}}), ctx)
    [problem] = caught.value.problems
    assert (problem.path, problem.code) == ("time_assessment.tissue", "tissue_total")
    assert "110" in problem.message
    fits = TIME.run(first.record, time_input({"tissue": {"slough_pct": 30}}), ctx)
    assert fits.record.time_assessment.tissue.total() == 100


def test_tissue_over_100_in_one_input_is_refused_at_the_boundary() -> None:
    with pytest.raises(ValidationError):
        time_input({"tissue": {"granulation_pct": 80, "necrotic_pct": 30}})


def test_record_is_unchanged_when_time_input_is_rejected(ctx: AgentContext) -> None:
    record = patch(time_record(), **{"time_assessment.tissue.granulation_pct": 90})
    snapshot = record.model_dump()
    with pytest.raises(InputRejected):
        TIME.run(record, time_input({"tissue": {"slough_pct": 20}}), ctx)
    assert record.model_dump() == snapshot
