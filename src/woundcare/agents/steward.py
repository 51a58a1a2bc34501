"""Data steward: validates the whole record, has every sensitive field encrypted through the
injected sealer, and marks the record ready for review."""

from __future__ import annotations

from typing import Any, ClassVar

from woundcare.agents.base import Agent, AgentContext, AgentResult, reject, revalidate
from woundcare.domain.digest import record_digest
from woundcare.domain.enums import CaseStatus, WorkflowEvent, WorkflowState
from woundcare.domain.guards import GUARDS
from woundcare.domain.inputs import AssembleInput
from woundcare.domain.record import CaseRecord
from woundcare.messages import say

_EARLIER = (WorkflowEvent.BIO_CONFIRMED, WorkflowEvent.IMAGING_CONFIRMED,
            WorkflowEvent.VITALS_CAPTURED, WorkflowEvent.TIME_CAPTURED,
            WorkflowEvent.FOLLOW_UP_RESOLVED, WorkflowEvent.REVIEW_COMPLETED)


class DataStewardAgent(Agent):
    name: ClassVar[str] = "data_steward"
    state: ClassVar[WorkflowState] = WorkflowState.ASSEMBLE_JSON
    input_kinds: ClassVar[tuple[str, ...]] = ("assemble",)

    def on_enter(self, record: CaseRecord, ctx: AgentContext) -> AgentResult | None:
        return self.run(record, AssembleInput(), ctx)

    def run(self, record: CaseRecord, step_input: Any, ctx: AgentContext) -> AgentResult:
        assert isinstance(step_input, AssembleInput)
        validated = revalidate(record.model_dump(mode="json"))
        open_items = [b for event in _EARLIER for b in GUARDS[event](validated)]
        if open_items:
            raise reject("record", say("error.steward.incomplete", count=len(open_items)),
                         "record_incomplete")
        if ctx.services.sealer is None:
            raise reject("record", say("error.steward.no_encryption"),
                         "encryption_unavailable")
        seal = ctx.services.sealer.seal(validated).model_copy(
            update={"record_digest": record_digest(validated)})
        sealed = validated.model_copy(update={"seal": seal,
                                              "status": CaseStatus.READY_FOR_REVIEW})
        return AgentResult(record=sealed, attributed_to_agent=True, messages=(
            say("agent.steward.assembled", count=len(seal.sealed_paths)),))

    def missing(self, record: CaseRecord) -> list[str]:
        return [] if record.seal else ["seal"]
