"""Export agent: refuses without consent, PIN linkage and encryption; locks the record and
hands it to its destinations."""

from __future__ import annotations

from typing import Any, ClassVar

from woundcare.agents.base import Agent, AgentContext, AgentResult, reject
from woundcare.domain.digest import record_digest
from woundcare.domain.enums import CaseStatus, ConsentStatus, WorkflowState
from woundcare.domain.inputs import ExportInput
from woundcare.domain.record import CaseRecord, ExportRecord
from woundcare.messages import say

TEAM_BOARD = "team_board"


class ExportAgent(Agent):
    name: ClassVar[str] = "export"
    state: ClassVar[WorkflowState] = WorkflowState.STORE_SYNC
    input_kinds: ClassVar[tuple[str, ...]] = ("export",)

    def run(self, record: CaseRecord, step_input: Any, ctx: AgentContext) -> AgentResult:
        assert isinstance(step_input, ExportInput)
        if record.status is CaseStatus.LOCKED:
            raise reject("export", say("error.export.already_exported"),
                         "already_exported")
        if record.consent.data_storage is not ConsentStatus.GRANTED:
            raise reject("consent.data_storage", say("error.export.consent_storage"),
                         "consent_required")
        if TEAM_BOARD in step_input.destinations and (
            record.consent.team_board_sharing is not ConsentStatus.GRANTED
        ):
            raise reject("destinations", say("error.export.consent_board"), "consent_required")
        linkage = record.pin_linkage
        if linkage is None or linkage.record_digest != record_digest(record):
            raise reject("pin_linkage", say("error.export.not_signed"), "not_signed")
        if record.seal is None:
            raise reject("seal", say("error.export.not_encrypted"), "not_encrypted")
        delivered = list(step_input.destinations)
        if ctx.services.exporter is not None:
            delivered = ctx.services.exporter.deliver(record, step_input.destinations)
        export = ExportRecord(exported_at=ctx.now, exported_by=ctx.actor.clinician_id,
                              destinations=delivered)
        locked = record.model_copy(update={"export": export, "status": CaseStatus.LOCKED})
        return AgentResult(record=locked, attributed_to_agent=True,
                           messages=(say("agent.export.exported", destinations=delivered),))
