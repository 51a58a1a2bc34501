"""Case reads and writes: one unit of work per request owns the transaction; the orchestrator
runs inside it on the SQL case store; the snapshot, the audit event and the idempotency record
are written in the same transaction as the step."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

import sqlalchemy as sa

from woundcare import telemetry
from woundcare.adapters.sealer import EnvelopeSealer
from woundcare.agents.base import Actor, AgentServices
from woundcare.domain.enums import CaseStatus, WorkflowEvent, WorkflowState
from woundcare.domain.errors import (
    CaseNotFound,
    DomainError,
    InputRejected,
    RecordLocked,
    VersionConflict,
    WrongStep,
)
from woundcare.domain.guards import blockers_for
from woundcare.domain.inputs import ConsentPatch, ExportInput, PinInput
from woundcare.domain.machine import forward_event
from woundcare.domain.provenance import verify_chain
from woundcare.domain.record import CaseRecord
from woundcare.intake.models import ParsedIntake
from woundcare.service.audit import Caller, case_read_audit, record_audit
from woundcare.service.errors import ApiError, from_domain, not_found
from woundcare.service.identities import check_identity
from woundcare.service.metrics import StepTimer
from woundcare.service.pin import DbPinVerifier, PinService, PreverifiedPin
from woundcare.service.results import (
    ApiResult,
    IdempotencyRequest,
    check_same_request,
    in_progress,
    replayed_result,
    snapshot_result,
)
from woundcare.service.runtime import Runtime
from woundcare.service.snapshot import build_snapshot
from woundcare.storage.case_repository import SqlCaseStore, visible_cases
from woundcare.storage.errors import Busy
from woundcare.storage.repositories.idempotency import Completion, IdempotencyRecord
from woundcare.storage.schema import cases
from woundcare.storage.unit_of_work import UnitOfWork
from woundcare.workflow.orchestrator import Orchestrator, StepOutcome
from woundcare.workflow.ports import PinVerifier

if TYPE_CHECKING:
    from woundcare.storage.repositories.audit import CaseReadAudit

Step = Callable[["Workspace"], StepOutcome]


@dataclass
class Workspace:
    """One request's transaction: the unit of work, the case store on it, the orchestrator."""

    uow: UnitOfWork
    store: SqlCaseStore
    orchestrator: Orchestrator
    actor: Actor
    push_enabled: bool = True

    def snapshot(self, record: CaseRecord, messages: tuple[str, ...] | list[str] = ()) -> dict[
            str, Any]:
        changes = self.store.timeline_counts(record.case_id)
        return build_snapshot(record, self.orchestrator, changes, messages,
                              push_enabled=self.push_enabled)


class CaseService:
    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime
        self.pins = PinService(runtime)

    # ------------------------------------------------------------------ plumbing

    @contextmanager
    def workspace(self, caller: Caller, *, read_only: bool = False,
                  pin_verifier: PinVerifier | None = None) -> Iterator[Workspace]:
        with self.rt.db.unit_of_work(caller.identity, read_only=read_only) as uow:
            store = SqlCaseStore(uow.conn, caller.identity, self.rt.keys)
            services = AgentServices(
                intake_parser=self.rt.intake_parser,
                pin_verifier=pin_verifier or DbPinVerifier(self.pins, caller),
                sealer=EnvelopeSealer(store.data_key),
            )
            yield Workspace(uow, store, Orchestrator(store, services,
                                                     clock=_RuntimeClock(self.rt)),
                            Actor.clinician(caller.clinician_id),
                            push_enabled=self.rt.settings.push_enabled)

    def current_snapshot(self, caller: Caller, case_id: UUID) -> dict[str, Any] | None:
        """The case as it is now (for a 409), read in its own transaction and audited."""
        try:
            with self.workspace(caller) as ws:
                record = ws.store.load(case_id)
                body = ws.snapshot(record)
                record_audit(ws.uow, caller, "case.read", record=record, outcome="conflict")
                return body
        except CaseNotFound:
            return None

    def _replay_horizon(self) -> datetime:
        """Idempotency records created before this have expired."""
        return self.rt.clock() - timedelta(hours=self.rt.settings.idempotency_ttl_hours)

    def _conflict(self, caller: Caller, case_id: UUID, exc: VersionConflict) -> ApiError:
        return from_domain(exc, current=self.current_snapshot(caller, case_id))

    # ------------------------------------------------------------------ idempotency

    def _claim_or_replay(self, ws: Workspace, caller: Caller,
                         idem: IdempotencyRequest | None) -> ApiResult | None:
        """Claim ``idem``'s key before the work (None: go ahead), or answer the earlier
        request's replay. A concurrent duplicate waits for the first to finish."""
        if idem is None:
            return None
        try:
            claimed = ws.uow.idempotency.claim(
                key=idem.key, method=idem.method, path=idem.path,
                request_hash=idem.request_hash, expired_before=self._replay_horizon(),
                wait_seconds=self.rt.settings.idempotency_wait_seconds)
        except Busy:
            raise in_progress() from None
        if claimed:
            return None
        stored = ws.uow.idempotency.get(idem.key)
        if stored is None:  # pragma: no cover - pruned between the insert and the read
            raise in_progress()
        return self._replay(ws, caller, idem, stored)

    def _stored_replay(self, ws: Workspace, caller: Caller,
                       idem: IdempotencyRequest | None) -> ApiResult | None:
        """A replay if ``idem``'s key holds a finished, unexpired record (no claim: for a
        read-only pre-check)."""
        if idem is None:
            return None
        stored = ws.uow.idempotency.get(idem.key)
        if stored is None or stored.created_at < self._replay_horizon():
            return None
        return self._replay(ws, caller, idem, stored)

    def _replay(self, ws: Workspace, caller: Caller, idem: IdempotencyRequest,
                stored: IdempotencyRecord) -> ApiResult:
        """A replay is a read: the caller must still see the case (404 otherwise, like any
        case they may not see), it is audited, and it shows the case as it is now."""
        check_same_request(stored, idem)
        if not stored.completed or stored.case_id is None:
            raise in_progress()
        record = self._load(ws, stored.case_id)
        body = ws.snapshot(record)
        record_audit(ws.uow, caller, "case.read", record=record,
                     detail={"idempotent_replay": True})
        return replayed_result(stored, body)

    @staticmethod
    def _remember(ws: Workspace, idem: IdempotencyRequest | None, result: ApiResult) -> None:
        completing = CaseService._completing(ws, idem, result)
        if completing is not None:
            ws.uow.idempotency.record(completing)

    @staticmethod
    def _completing(ws: Workspace, idem: IdempotencyRequest | None,
                    result: ApiResult) -> Completion | None:
        """What ``idem``'s key records for ``result`` (None: nothing to record); a write's
        audit event carries it (one statement for both)."""
        if idem is None or not 200 <= result.status < 300:
            return None
        body = result.body
        return ws.uow.idempotency.completion(idem.key, status_code=result.status,
                                             case_id=UUID(str(body["case_id"])),
                                             version=int(body["version"]))

    # ------------------------------------------------------------------ reads

    def list_cases(self, caller: Caller, *, state: WorkflowState | None,
                   status: CaseStatus | None, mrn: str | None, limit: int,
                   offset: int, q: str | None = None) -> ApiResult:
        """A page of the caller's cases; ``q`` (names, dates of birth, MRN parts) and ``mrn``
        (an MRN or its beginning or end) search the blind index, and ``total`` counts the
        matches, so the pager agrees with what is listed."""
        with self.workspace(caller) as ws:
            ids: set[UUID] | None = None
            if q or mrn:
                ids = ws.store.search(q, mrn)
                if mrn:  # cases saved before the index existed: the exact MRN hash
                    ids |= set(ws.store.find_by_mrn(mrn)) if _mrn_ok(mrn) else set()
            rows, total = ws.store.list_cases(state=state, status=status, limit=limit,
                                              offset=offset, ids=ids)
            records = [ws.store.record_from_row(row) for row in rows]
            items = [_summary(r) for r in records]
            record_audit(ws.uow, caller, "case.list",
                         detail={"count": len(items), "by_mrn": bool(mrn), "search": bool(q)})
        return ApiResult(200, {"items": items, "total": total, "limit": limit,
                               "offset": offset})

    def possible_duplicates(self, caller: Caller, case_id: UUID) -> ApiResult:
        """Other cases (that the caller may see) of what may be the same patient: the same
        MRN, or the same full name and date of birth."""
        with self.workspace(caller) as ws:
            record = self._load(ws, case_id)
            found = ws.store.possible_duplicates(record)
            items = []
            for other_id, reasons in found.items():
                other = ws.store.load(other_id)
                items.append({**_summary(other), "reasons": reasons})
            items.sort(key=lambda item: item["updated_at"], reverse=True)
            record_audit(ws.uow, caller, "case.duplicates", record=record,
                         detail={"count": len(items)})
        return ApiResult(200, {"case_id": str(case_id), "items": items})

    def snapshot(self, caller: Caller, case_id: UUID) -> ApiResult:
        with self.workspace(caller) as ws:
            # PostgreSQL: the read's audit event is written by the SELECT that finds the case
            fused = case_read_audit(ws.uow, caller, "case.read") if ws.store.audits_reads \
                else None
            record = self._load(ws, case_id, audit=fused)
            body = ws.snapshot(record)
            record_audit(ws.uow, caller, "case.read", record=record, written=fused is not None)
        return snapshot_result(body)

    def timeline(self, caller: Caller, case_id: UUID, *, cursor: int | None, limit: int,
                 state: WorkflowState | None) -> ApiResult:
        """One page of the case's timeline, newest first; ``next_cursor`` continues it (None
        on the last page). Audited like a provenance read."""
        with self.workspace(caller) as ws:
            record = self._load(ws, case_id)
            rows = ws.store.timeline_page(case_id, before=cursor, limit=limit + 1,
                                          state=state.value if state else None)
            record_audit(ws.uow, caller, "provenance.read", record=record,
                         detail={"timeline": True})
        page = rows[:limit]
        more = len(rows) > limit
        return ApiResult(200, {"case_id": str(case_id), "entries": page,
                               "next_cursor": str(page[-1]["seq"]) if more and page else None})

    def provenance(self, caller: Caller, case_id: UUID) -> ApiResult:
        with self.workspace(caller) as ws:
            record = self._load(ws, case_id)
            entries = ws.store.provenance(case_id)
            record_audit(ws.uow, caller, "provenance.read", record=record)
        return ApiResult(200, {"case_id": str(case_id),
                               "entries": [e.model_dump(mode="json") for e in entries]})

    def verify_provenance(self, caller: Caller, case_id: UUID) -> ApiResult:
        with self.workspace(caller) as ws:
            record = self._load(ws, case_id)
            entries = ws.store.provenance(case_id)
            row = ws.uow.conn.execute(
                sa.select(cases.c.provenance_head, cases.c.provenance_count)
                .where(cases.c.id == case_id, visible_cases(caller.identity))
            ).one()
            report = verify_chain(case_id, entries, expected_head=row.provenance_head,
                                  expected_count=row.provenance_count)
            record_audit(ws.uow, caller, "provenance.verify", record=record,
                         detail={"ok": report.ok})
        return ApiResult(200, report.model_dump(mode="json"))

    @staticmethod
    def _state(ws: Workspace, case_id: UUID) -> str:
        """The case's workflow state (404 if the caller may not see it); the step then opens
        the record once, from the row read here."""
        try:
            return ws.store.state_of(case_id)
        except CaseNotFound:
            raise not_found() from None

    def _load(self, ws: Workspace, case_id: UUID, *,
              audit: CaseReadAudit | None = None) -> CaseRecord:
        try:
            return ws.store.load(case_id, audit=audit)
        except CaseNotFound:
            raise not_found() from None

    # ------------------------------------------------------------------ writes

    def create(self, caller: Caller, previous_case_id: UUID | None,
               idem: IdempotencyRequest | None, *, patient_id: UUID | None = None,
               wound_id: UUID | None = None) -> ApiResult:
        """A new case: the next visit of ``previous_case_id``, a visit of a known patient
        (and wound), or a new patient with a new wound."""
        try:
            with self.workspace(caller) as ws:
                replayed = self._claim_or_replay(ws, caller, idem)
                if replayed is not None:
                    return replayed
                previous = self._load(ws, previous_case_id) if previous_case_id else None
                if previous is not None and (patient_id or wound_id):
                    raise ApiError(422, "previous_or_patient",
                                   "Give either the previous visit or the patient, not both.")
                check_identity(ws.uow.conn, caller.identity.organisation_id, patient_id,
                               wound_id)
                visits = 0 if wound_id is None else ws.uow.conn.execute(
                    sa.select(sa.func.coalesce(sa.func.max(cases.c.visit_number), 0))
                    .where(cases.c.wound_id == wound_id, visible_cases(caller.identity))
                ).scalar_one()
                outcome = ws.orchestrator.create_case(
                    organisation_id=caller.identity.organisation_id,
                    owner_id=caller.clinician_id, actor=ws.actor, previous=previous,
                    patient_id=patient_id, wound_id=wound_id, visit_number=int(visits) + 1)
                result = snapshot_result(ws.snapshot(outcome.record, outcome.messages), 201)
                record_audit(ws.uow, caller, "case.create", record=outcome.record,
                             detail={"next_visit": previous is not None})
                self._remember(ws, idem, result)
        except ApiError as exc:
            if exc.status == 404:  # a replay, a previous visit, patient or wound not visible
                with self.rt.db.unit_of_work(caller.identity) as uow:
                    record_audit(uow, caller, "case.create", outcome="denied",
                                 detail={"code": exc.code})
            raise
        return result

    def write(
        self,
        caller: Caller,
        case_id: UUID,
        expected_version: int,
        idem: IdempotencyRequest | None,
        *,
        action: str,
        agent: str | None,
        step: Step,
        detail: dict[str, Any] | None = None,
        pin_verifier: PinVerifier | None = None,
    ) -> ApiResult:
        """Run ``step`` in one transaction; 409 with the current snapshot on a stale version.
        Each autosave is counted by outcome and its step timed per agent (and traced: agent,
        state and event, never a value)."""
        event = (detail or {}).get("workflow_event")
        timer = StepTimer(self.rt.metrics, agent)
        try:
            with self.workspace(caller, pin_verifier=pin_verifier) as ws:
                replayed = self._claim_or_replay(ws, caller, idem)
                if replayed is not None:
                    timer.outcome = "replayed"
                    return replayed
                with telemetry.step_span(agent, self._state(ws, case_id), event) as span:
                    outcome = step(ws)
                    span.set_attribute("woundcare.outcome", "saved")
                result = self._result(ws, caller, outcome, action, agent, detail, idem)
            timer.outcome = "saved"
            return result
        except VersionConflict as exc:
            timer.outcome = "conflict"
            raise self._conflict(caller, case_id, exc) from None
        except (DomainError, ApiError) as exc:
            timer.outcome = "refused"
            self._audit_refusal(caller, case_id, action, agent, exc)
            raise
        finally:
            timer.done()

    def _audit_refusal(self, caller: Caller, case_id: UUID, action: str, agent: str | None,
                       exc: DomainError | ApiError) -> None:
        """A refused write is audited too (in its own transaction, the write's rolled back):
        ``denied`` for a case the caller may not see, ``refused`` for anything else, with the
        error's stable code and never its input."""
        denied = isinstance(exc, CaseNotFound) or getattr(exc, "status", None) == 404
        with self.rt.db.unit_of_work(caller.identity) as uow:
            record_audit(uow, caller, action, outcome="denied" if denied else "refused",
                         case_id=case_id, agent=agent, detail={"code": exc.code})

    def _result(self, ws: Workspace, caller: Caller, outcome: StepOutcome, action: str,
                agent: str | None, detail: dict[str, Any] | None,
                idem: IdempotencyRequest | None) -> ApiResult:
        """The write's answer; its audit event also completes ``idem``'s key."""
        if outcome.new_case is not None:
            result = snapshot_result(ws.snapshot(outcome.new_case, outcome.messages), 201)
            record_audit(ws.uow, caller, action, record=outcome.record, agent=agent,
                         detail=detail)
            record_audit(ws.uow, caller, "case.create", record=outcome.new_case,
                         detail={"next_visit": True},
                         completing=self._completing(ws, idem, result))
            return result
        result = snapshot_result(ws.snapshot(outcome.record, outcome.messages))
        record_audit(ws.uow, caller, action, record=outcome.record, agent=agent,
                     detail={**(detail or {}), "changed": len(outcome.entries)},
                     completing=self._completing(ws, idem, result))
        return result

    def submit(self, caller: Caller, case_id: UUID, expected_version: int,
               idem: IdempotencyRequest | None, step_input: Any) -> ApiResult:
        kind = str(step_input.kind)
        return self.write(
            caller, case_id, expected_version, idem, action=f"case.step.{kind}", agent=kind,
            step=lambda ws: ws.orchestrator.submit(case_id, step_input, ws.actor,
                                                   expected_version=expected_version))

    def export(self, caller: Caller, case_id: UUID, expected_version: int,
               idem: IdempotencyRequest | None, step_input: ExportInput) -> ApiResult:
        """Export; a refusal for missing consent is counted (an alert watches it). The
        delivery outbox entries are written in the same transaction that locks the record."""
        kind = str(step_input.kind)

        def step(ws: Workspace) -> StepOutcome:
            outcome = ws.orchestrator.submit(case_id, step_input, ws.actor,
                                             expected_version=expected_version)
            if outcome.record.export is not None and outcome.entries:
                from woundcare.service.outbox import enqueue_export

                enqueue_export(self.rt, ws.uow.conn, outcome.record,
                               list(step_input.destinations))
            return outcome

        try:
            return self.write(caller, case_id, expected_version, idem,
                              action=f"case.step.{kind}", agent=kind, step=step)
        except InputRejected as exc:
            if any(problem.code == "consent_required" for problem in exc.problems):
                self.rt.metrics.count("export_refused_consent")
            raise

    def consent(self, caller: Caller, case_id: UUID, expected_version: int,
                idem: IdempotencyRequest | None, patch: ConsentPatch) -> ApiResult:
        return self.write(
            caller, case_id, expected_version, idem, action="case.consent", agent="bio",
            step=lambda ws: ws.orchestrator.update_consent(case_id, patch, ws.actor,
                                                           expected_version=expected_version))

    def fire(self, caller: Caller, case_id: UUID, expected_version: int,
             idem: IdempotencyRequest | None, event: WorkflowEvent) -> ApiResult:
        return self.write(
            caller, case_id, expected_version, idem, action="case.event", agent=None,
            detail={"workflow_event": event.value},
            step=lambda ws: ws.orchestrator.fire(case_id, event, ws.actor,
                                                 expected_version=expected_version))

    def sign(self, caller: Caller, case_id: UUID, expected_version: int,
             idem: IdempotencyRequest | None, step_input: PinInput) -> ApiResult:
        """Check the request before the PIN (so a refused step costs no attempt), verify the
        PIN in its own committed transactions, then sign in the step's transaction."""
        with self.workspace(caller) as ws:
            replayed = self._stored_replay(ws, caller, idem)
            if replayed is not None:
                return replayed
            record = self._load(ws, case_id)
        if record.version != expected_version:
            raise self._conflict(caller, case_id,
                                 VersionConflict(case_id, expected_version, record.version))
        try:
            if record.status is CaseStatus.LOCKED:
                raise RecordLocked()
            if record.state is not WorkflowState.LINK_TO_CLINICIAN:
                raise WrongStep(record.state, "pin")
            DbPinVerifier(self.pins, caller).verify(caller.clinician_id, step_input.pin)
        except DomainError as exc:
            self._audit_refusal(caller, case_id, "case.step.pin", "security", exc)
            raise
        return self.write(
            caller, case_id, expected_version, idem, action="case.step.pin", agent="security",
            pin_verifier=PreverifiedPin(caller.clinician_id, step_input.pin),
            step=lambda ws: ws.orchestrator.submit(case_id, step_input, ws.actor,
                                                   expected_version=expected_version))

    def parse(self, caller: Caller, case_id: UUID, free_text: str) -> ApiResult:
        """A proposal from free text; nothing is saved (the read is audited)."""
        if self.rt.intake_parser is None:
            raise ApiError(422, "intake_unavailable",
                           "Free-text intake is not available on this server.")
        with self.workspace(caller) as ws:
            record = self._load(ws, case_id)
            parsed = self.rt.intake_parser(free_text)
            record_audit(ws.uow, caller, "case.parse", record=record, agent="bio")
        return ApiResult(200, proposal(parsed))


class _RuntimeClock:
    """The orchestrator's clock is the runtime's (one clock for the whole service)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def now(self) -> datetime:
        return self.runtime.clock()


def proposal(parsed: ParsedIntake) -> dict[str, Any]:
    """What the parser found, for the clinician to confirm (nothing is saved)."""
    data = parsed.model_dump(mode="json")
    return {"fields": data["fields"], "consent": data["consent"],
            "ambiguities": data["ambiguities"], "notes": data["notes"],
            "suspicious_instruction": data["suspicious_instruction"]}


def _summary(record: CaseRecord) -> dict[str, Any]:
    event = forward_event(record.state)
    blockers = [] if event is None else [b.code for b in blockers_for(event, record)]
    return {
        "case_id": str(record.case_id), "state": record.state.value,
        "status": record.status.value, "version": record.version,
        "updated_at": record.updated_at.isoformat(), "created_at": record.created_at.isoformat(),
        "visit_number": record.visit_number, "patient_label": patient_label(record),
        "blockers": blockers,
    }


case_summary = _summary


def _mrn_ok(mrn: str) -> bool:
    try:
        from woundcare.crypto.search_hash import normalise_mrn

        normalise_mrn(mrn)
    except ValueError:
        return False
    return True


def patient_label(record: CaseRecord) -> str | None:
    """A short label for worklists: preferred (or first) name and the last name's initial."""
    patient = record.patient
    given = patient.preferred_name or patient.first_name
    if given is None and patient.last_name is None:
        return None
    initial = f" {patient.last_name[0]}." if patient.last_name else ""
    return f"{given or ''}{initial}".strip()
