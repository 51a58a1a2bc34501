"""Vitals agent: units and capture times, Celsius normalisation keeping the original value,
explicit "unknown". Range checks are input validation, never clinical alarms."""

from __future__ import annotations

from typing import Any, ClassVar

from woundcare.agents.base import Agent, AgentContext, AgentResult, merge_patch, revalidate
from woundcare.domain.enums import TemperatureUnit, WorkflowState
from woundcare.domain.guards import VITAL_LABELS
from woundcare.domain.inputs import VitalsInput
from woundcare.domain.record import CaseRecord
from woundcare.messages import say

# Vitals with exactly one accepted unit get it filled in; temperature's unit must be chosen.
SINGLE_UNITS = {"blood_pressure": "mmHg", "heart_rate": "bpm",
                "respiratory_rate": "breaths/min", "oxygen_saturation": "%"}


def to_celsius(value: float, unit: TemperatureUnit) -> float:
    return round(value if unit is TemperatureUnit.C else (value - 32) * 5 / 9, 1)


class VitalsAgent(Agent):
    name: ClassVar[str] = "vitals"
    state: ClassVar[WorkflowState] = WorkflowState.VITALS
    input_kinds: ClassVar[tuple[str, ...]] = ("vitals",)

    def run(self, record: CaseRecord, step_input: Any, ctx: AgentContext) -> AgentResult:
        assert isinstance(step_input, VitalsInput)
        data = record.model_dump(mode="json")
        vitals = merge_patch(data["vitals"], step_input.vitals)
        for name in step_input.vitals.model_fields_set:
            sent = getattr(step_input.vitals, name)
            entry = vitals[name]
            if sent.unknown:
                for key in ("value", "systolic", "diastolic", "celsius"):
                    if key in entry:
                        entry[key] = None
            elif "unknown" not in sent.model_fields_set and sent.is_recorded():
                entry["unknown"] = False  # a value sent now replaces an earlier "unknown"
        for name, unit in SINGLE_UNITS.items():
            entry = vitals[name]
            has_value = any(entry.get(k) is not None
                            for k in ("value", "systolic", "diastolic"))
            if has_value and entry.get("unit") is None:
                entry["unit"] = unit
        temp = vitals["temperature"]
        if temp.get("value") is not None and temp.get("unit") is not None:
            temp["celsius"] = to_celsius(float(temp["value"]), TemperatureUnit(temp["unit"]))
        else:
            temp["celsius"] = None
        data["vitals"] = vitals
        updated = revalidate(data)
        missing = self.missing(updated)
        messages = (say("agent.vitals.still_to_record", labels=missing),) if missing else ()
        return AgentResult(record=updated, messages=messages)

    def missing(self, record: CaseRecord) -> list[str]:
        return [VITAL_LABELS[name] for name, vital in record.vitals.measurements().items()
                if not vital.is_recorded()]
