"""Security / PIN linker: verifies the clinician's PIN through the injected verifier, checks
consent, and binds the record's digest to the signer. The PIN is never kept or returned."""

from __future__ import annotations

from typing import Any, ClassVar

from woundcare.agents.base import Agent, AgentContext, AgentResult, reject
from woundcare.domain.digest import record_digest
from woundcare.domain.enums import ConsentStatus, WorkflowState
from woundcare.domain.inputs import PinInput
from woundcare.domain.record import CaseRecord, PinLinkage
from woundcare.messages import say


class SecurityAgent(Agent):
    name: ClassVar[str] = "security"
    state: ClassVar[WorkflowState] = WorkflowState.LINK_TO_CLINICIAN
    input_kinds: ClassVar[tuple[str, ...]] = ("pin",)

    def run(self, record: CaseRecord, step_input: Any, ctx: AgentContext) -> AgentResult:
        assert isinstance(step_input, PinInput)
        if record.consent.data_storage is not ConsentStatus.GRANTED:
            raise reject("consent.data_storage", say("error.security.consent"), "consent_required")
        if ctx.services.pin_verifier is None:
            raise reject("pin", say("error.security.no_pin"))
        ctx.services.pin_verifier.verify(ctx.actor.clinician_id, step_input.pin)
        linkage = PinLinkage(clinician_id=ctx.actor.clinician_id, signed_at=ctx.now,
                             record_digest=record_digest(record))
        return AgentResult(record=record.model_copy(update={"pin_linkage": linkage}),
                           messages=(say("agent.security.signed"),))

    def missing(self, record: CaseRecord) -> list[str]:
        return [] if record.pin_linkage else ["pin_linkage"]
