"""Review: the clinician attests they reviewed the whole record."""

from __future__ import annotations

from typing import Any, ClassVar

from woundcare.agents.base import Agent, AgentContext, AgentResult
from woundcare.domain.enums import WorkflowState
from woundcare.domain.inputs import ReviewInput
from woundcare.domain.record import CaseRecord, ReviewAttestation
from woundcare.messages import say

STATEMENT = say("statement.review")


class ReviewAgent(Agent):
    name: ClassVar[str] = "review"
    state: ClassVar[WorkflowState] = WorkflowState.REVIEW
    input_kinds: ClassVar[tuple[str, ...]] = ("review",)

    def run(self, record: CaseRecord, step_input: Any, ctx: AgentContext) -> AgentResult:
        assert isinstance(step_input, ReviewInput)
        review = ReviewAttestation(attested_by=ctx.actor.clinician_id, attested_at=ctx.now,
                                   statement=STATEMENT)
        return AgentResult(record=record.model_copy(update={"review": review}))

    def missing(self, record: CaseRecord) -> list[str]:
        return [] if record.review else ["review"]
