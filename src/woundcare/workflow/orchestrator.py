"""The orchestrator: runs the agent of the current state, applies its result and any
transition as one step, derives provenance for every changed field, and autosaves the record
and its provenance together through the :class:`CaseStore` port."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from woundcare.agents.base import Actor, Agent, AgentContext, AgentResult, AgentServices
from woundcare.agents.imaging import register_artifact
from woundcare.agents.registry import default_agents
from woundcare.domain.blockers import Blocker
from woundcare.domain.consent import apply_consent
from woundcare.domain.enums import (
    ActorKind,
    CaseStatus,
    ConsentKind,
    ConsentStatus,
    WorkflowEvent,
    WorkflowState,
)
from woundcare.domain.errors import (
    DomainError,
    GuardFailed,
    RecordLocked,
    VersionConflict,
    WrongStep,
)
from woundcare.domain.guards import blockers_for
from woundcare.domain.inputs import ArtifactInput, ConsentPatch
from woundcare.domain.machine import allowed_events, is_forward, next_state, position
from woundcare.domain.provenance import ProvenanceDraft, ProvenanceEntry, changed_paths
from woundcare.domain.record import CaseRecord, Patient
from woundcare.logging import get_logger
from woundcare.messages import identify, say
from woundcare.workflow.ports import CaseStore, Clock, SystemClock

log = get_logger(__name__)

_BOOKKEEPING = {"version", "updated_at"}
# Artifacts may be attached while the record is still being gathered.
_ARTIFACT_STATES = {WorkflowState.BIO_INTAKE, WorkflowState.WOUND_IMAGING,
                    WorkflowState.VITALS, WorkflowState.TIME, WorkflowState.FOLLOW_UP}


@dataclass(frozen=True)
class StepOutcome:
    record: CaseRecord
    entries: list[ProvenanceEntry] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    new_case: CaseRecord | None = None


@dataclass(frozen=True)
class _Change:
    """One part of a step: the record after it, who it is attributed to, and why."""

    after: CaseRecord
    actor: Actor
    agent: str | None
    event: str | None = None
    source_artifact_id: UUID | None = None
    messages: tuple[str, ...] = ()


class Orchestrator:
    def __init__(
        self,
        store: CaseStore,
        services: AgentServices | None = None,
        *,
        clock: Clock | None = None,
        agents: dict[WorkflowState, Agent] | None = None,
        new_id: Callable[[], UUID] = uuid4,
    ) -> None:
        self.store = store
        self.services = services or AgentServices()
        self.clock = clock or SystemClock()
        self.agents = agents if agents is not None else default_agents()
        self.new_id = new_id

    # ------------------------------------------------------------------ reads

    def load(self, case_id: UUID) -> CaseRecord:
        return self.store.load(case_id)

    def agent_for(self, state: WorkflowState) -> Agent | None:
        return self.agents.get(state)

    def evaluate(self, record: CaseRecord) -> dict[WorkflowEvent, list[Blocker]]:
        """Allowed events from the record's state, each with its current blockers."""
        events: list[WorkflowEvent]
        if record.status is CaseStatus.LOCKED and record.state is not WorkflowState.STORE_SYNC:
            events = [e for e in allowed_events(record.state) if e is WorkflowEvent.RESET]
        elif record.status is CaseStatus.LOCKED:
            events = [WorkflowEvent.STORED]
        else:
            events = allowed_events(record.state)
        return {
            event: blockers_for(event, record) if is_forward(event) else []
            for event in events
        }

    def missing(self, record: CaseRecord) -> list[str]:
        agent = self.agents.get(record.state)
        return [] if agent is None else agent.missing(record)

    # ------------------------------------------------------------------ writes

    def create_case(
        self,
        *,
        organisation_id: UUID,
        owner_id: UUID,
        actor: Actor,
        case_id: UUID | None = None,
        previous: CaseRecord | None = None,
        patient_id: UUID | None = None,
        wound_id: UUID | None = None,
        visit_number: int = 1,
    ) -> StepOutcome:
        """A new case: the next visit of ``previous``; or a visit of a known patient (a new
        wound unless ``wound_id`` is given); or a new patient with a new wound."""
        now = self.clock.now()
        record = CaseRecord(
            case_id=case_id or self.new_id(),
            organisation_id=organisation_id,
            owner_id=owner_id,
            created_at=now,
            updated_at=now,
            version=1,
            patient_id=patient_id or self.new_id(),
            wound_id=wound_id or self.new_id(),
            visit_number=visit_number,
        )
        if previous is not None:
            record = _next_visit(record, previous)
        paths = [p for p in changed_paths(_blank(record), _dump(record))
                 if p.split(".")[0] not in _BOOKKEEPING]  # case_id is among them, once
        drafts = [self._draft(actor, None, path, record.state, "CREATE", None, now)
                  for path in paths]
        entries = self.store.create(record, drafts)
        return StepOutcome(record=record, entries=entries)

    def submit(
        self, case_id: UUID, step_input: Any, actor: Actor, *, expected_version: int
    ) -> StepOutcome:
        """Run the current state's agent on ``step_input`` and autosave the result."""
        record = self._load_for_write(case_id, expected_version)
        agent = self.agents.get(record.state)
        kind = getattr(step_input, "kind", type(step_input).__name__)
        if agent is None or kind not in agent.input_kinds:
            raise WrongStep(record.state, str(kind))
        result = agent.run(record, step_input, self._ctx(actor))
        return self._commit(record, [self._from_result(result, actor, agent)])

    def register_artifact(
        self, case_id: UUID, spec: ArtifactInput, actor: Actor, *, expected_version: int
    ) -> StepOutcome:
        record = self._load_for_write(case_id, expected_version)
        if record.state not in _ARTIFACT_STATES:
            raise WrongStep(record.state, "upload")
        after = register_artifact(record, spec, self._ctx(actor))
        return self._commit(record, [_Change(after, actor, "intake_router",
                                             source_artifact_id=spec.artifact_id)])

    def update_consent(
        self, case_id: UUID, patch: ConsentPatch, actor: Actor, *, expected_version: int
    ) -> StepOutcome:
        """Consent may change in any state; on a locked record only a revocation is taken."""
        record = self.store.load(case_id)
        self._check_version(record, expected_version)
        if record.status is CaseStatus.LOCKED and not _revocation(patch):
            raise RecordLocked()
        after = apply_consent(record, patch, actor_id=actor.clinician_id, now=self.clock.now())
        return self._commit(record, [_Change(after, actor, "bio")])

    def fire(
        self, case_id: UUID, event: WorkflowEvent, actor: Actor, *, expected_version: int
    ) -> StepOutcome:
        record = self.store.load(case_id)
        self._check_version(record, expected_version)
        target = next_state(record.state, event)
        if record.status is CaseStatus.LOCKED and event not in (
            WorkflowEvent.STORED, WorkflowEvent.RESET
        ):
            raise RecordLocked()
        if is_forward(event):
            blockers = blockers_for(event, record)
            if blockers:
                raise GuardFailed(event, blockers)
        if event is WorkflowEvent.RESET and record.state is WorkflowState.DONE:
            outcome = self.create_case(organisation_id=record.organisation_id,
                                       owner_id=record.owner_id, actor=actor, previous=record)
            return StepOutcome(record=record, new_case=outcome.record, entries=outcome.entries,
                               messages=[say("agent.workflow.new_visit")])
        moved = _leave(record, event, target)
        changes = [_Change(moved, actor, None, event=event.value)]
        agent = self.agents.get(target)
        if agent is not None and is_forward(event):
            try:
                entered = agent.on_enter(moved, self._ctx(actor))
            except DomainError as exc:
                changes.append(_Change(moved, actor, agent.name, messages=(exc.message,)))
            else:
                if entered is not None:
                    changes.append(self._from_result(entered, actor, agent))
        return self._commit(record, changes)

    # ------------------------------------------------------------------ internals

    def _ctx(self, actor: Actor) -> AgentContext:
        return AgentContext(actor=actor, now=self.clock.now(), services=self.services,
                            new_id=self.new_id)

    def _check_version(self, record: CaseRecord, expected_version: int) -> None:
        if record.version != expected_version:
            raise VersionConflict(record.case_id, expected_version, record.version)

    def _load_for_write(self, case_id: UUID, expected_version: int) -> CaseRecord:
        record = self.store.load(case_id)
        self._check_version(record, expected_version)
        if record.status is CaseStatus.LOCKED:
            raise RecordLocked()
        return record

    def _from_result(self, result: AgentResult, actor: Actor, agent: Agent) -> _Change:
        who = Actor(ActorKind.AGENT, agent.name) if result.attributed_to_agent else actor
        return _Change(result.record, who, agent.name, source_artifact_id=result.source_artifact_id,
                       messages=result.messages, event=result.provenance_event)

    def _draft(self, actor: Actor, agent: str | None, path: str, state: WorkflowState,
               event: str | None, artifact: UUID | None, now: Any) -> ProvenanceDraft:
        return ProvenanceDraft(at=now, actor_kind=actor.kind, actor_id=actor.id, agent=agent,
                               field_path=path, state=state, event=event,
                               source_artifact_id=artifact)

    def _commit(self, before: CaseRecord, changes: Sequence[_Change]) -> StepOutcome:
        """Stamp the final record, derive provenance part by part, save it all at once."""
        now = self.clock.now()
        drafts: list[ProvenanceDraft] = []
        previous = _dump(before)
        for change in changes:
            current = _dump(change.after)
            for path in changed_paths(previous, current):
                if path.split(".")[0] not in _BOOKKEEPING:
                    state = before.state if change.event else change.after.state
                    drafts.append(self._draft(change.actor, change.agent, path, state,
                                              change.event, change.source_artifact_id, now))
            previous = current
        messages = [_shown(m) for change in changes for m in change.messages]
        final = changes[-1].after
        if not drafts:
            return StepOutcome(record=before, messages=messages)
        final = final.model_copy(update={"version": before.version + 1, "updated_at": now})
        final = CaseRecord.model_validate(final.model_dump(mode="json"))
        entries = self.store.save(final, expected_version=before.version, drafts=drafts)
        return StepOutcome(record=final, entries=entries, messages=messages)


_KNOWN_NEUTRAL: dict[bytes, None] = {}
_KNOWN_NEUTRAL_MAX = 4096


def _shown(message: str) -> str:
    """A message as the clinician sees it. Every message is a catalogued template; the
    guardrail stays as the second net for anything that is not (and such a message is logged
    by its length only, never its text). A message the guardrail passed once is remembered by
    a digest (not its text), so the same message on the next autosave is not checked again."""
    digest = hashlib.blake2b(message.encode(), digest_size=16).digest()
    if digest in _KNOWN_NEUTRAL:
        return message
    if identify(message) is None:
        log.warning("uncatalogued_message", length=len(message))
    from woundcare.guardrail import neutralise  # its patterns compile on first use

    shown = neutralise(message)
    if shown == message:
        if len(_KNOWN_NEUTRAL) >= _KNOWN_NEUTRAL_MAX:
            _KNOWN_NEUTRAL.clear()
        _KNOWN_NEUTRAL[digest] = None
    return shown


def _revocation(patch: ConsentPatch) -> bool:
    """Does ``patch`` decline at least one consent and change no consent to anything else?
    (Its notes and method may come with it: they describe the revocation.)"""
    kinds = [kind.value for kind in ConsentKind if kind.value in patch.model_fields_set]
    return bool(kinds) and all(getattr(patch, k) is ConsentStatus.DECLINED for k in kinds)


def _dump(record: CaseRecord) -> dict[str, Any]:
    return record.model_dump(mode="json")


def _blank(record: CaseRecord) -> dict[str, Any]:
    return {key: None for key in _dump(record) if key not in _BOOKKEEPING | {"case_id"}}


def _leave(record: CaseRecord, event: WorkflowEvent, target: WorkflowState) -> CaseRecord:
    """The record after ``event`` moves it to ``target``: stepping back undoes the products of
    the steps it goes back over (a signature is voided when stepping back past signing)."""
    update: dict[str, Any] = {"state": target}
    if event in (WorkflowEvent.ROLLBACK, WorkflowEvent.RESET):
        at = position(target)
        if at <= position(WorkflowState.REVIEW):
            update["review"] = None
        if at <= position(WorkflowState.ASSEMBLE_JSON):
            update.update(seal=None, status=CaseStatus.DRAFT)
        if at <= position(WorkflowState.LINK_TO_CLINICIAN):
            update["pin_linkage"] = None
        if at <= position(WorkflowState.STORE_SYNC):
            update["export"] = None
    if event is WorkflowEvent.RESET and record.state is WorkflowState.WOUND_IMAGING:
        measurement = record.wound.measurement
        if measurement is not None and measurement.photo_artifact_id is not None:
            measurement = None  # it was traced on a photo that is being cleared
        wound = record.wound.model_copy(update={"photos": [], "override_reason": None,
                                                "retake_required": False,
                                                "measurement": measurement})
        update["wound"] = wound
    return record.model_copy(update=update)


def _next_visit(record: CaseRecord, previous: CaseRecord) -> CaseRecord:
    """A new visit carries the patient's demographics, the patient and wound identities and
    what does not change between visits (site, type, aetiology, body site); consent is per
    case and must be recorded again; sizes, stage and periwound skin are assessed anew."""
    patient = Patient.model_validate(previous.patient.model_dump(mode="json"))
    wound = record.wound.model_copy(update={
        "site": previous.wound.site, "wound_type": previous.wound.wound_type,
        "aetiology": previous.wound.aetiology, "body_site": previous.wound.body_site})
    return record.model_copy(update={
        "patient": patient, "wound": wound, "visit_number": previous.visit_number + 1,
        "previous_case_id": previous.case_id,
        "patient_id": previous.patient_id or record.patient_id,
        "wound_id": previous.wound_id or record.wound_id,
    })
