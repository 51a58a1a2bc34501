"""T.I.M.E. agent: the wound-bed assessment, validated; asks only for what is missing."""

from __future__ import annotations

from typing import Any, ClassVar

from woundcare.agents.base import Agent, AgentContext, AgentResult, merge_patch, revalidate
from woundcare.domain.enums import WorkflowState
from woundcare.domain.inputs import TimeInput
from woundcare.domain.record import CaseRecord
from woundcare.messages import TIME_LABELS, say

LABELS = TIME_LABELS


class TimeAgent(Agent):
    name: ClassVar[str] = "time"
    state: ClassVar[WorkflowState] = WorkflowState.TIME
    input_kinds: ClassVar[tuple[str, ...]] = ("time",)

    def run(self, record: CaseRecord, step_input: Any, ctx: AgentContext) -> AgentResult:
        assert isinstance(step_input, TimeInput)
        data = record.model_dump(mode="json")
        assessment = merge_patch(data["time_assessment"], step_input.assessment)
        assessment["assessed_by"] = ctx.actor.id
        assessment["assessed_at"] = ctx.now.isoformat()
        data["time_assessment"] = assessment
        updated = revalidate(data)
        missing = self.missing(updated)
        messages = (
            (say("agent.vitals.still_to_record", labels=[LABELS[p] for p in missing]),)
            if missing else ()
        )
        return AgentResult(record=updated, messages=messages)

    def missing(self, record: CaseRecord) -> list[str]:
        t = record.time_assessment
        missing = []
        if all(v is None for _, v in t.tissue):
            missing.append("time_assessment.tissue")
        if t.infection.odour is None:
            missing.append("time_assessment.infection.odour")
        if t.infection.erythema is None:
            missing.append("time_assessment.infection.erythema")
        if t.moisture.exudate_level is None:
            missing.append("time_assessment.moisture.exudate_level")
        if t.edge.condition is None:
            missing.append("time_assessment.edge.condition")
        return missing
