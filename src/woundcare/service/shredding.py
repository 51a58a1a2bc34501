"""Consent withdrawal with an effect: after export, a withdrawal of consent to data storage
(recorded in the consent history) plus a shred request with a reason code starts a grace
period (``WOUNDCARE_SHRED_GRACE_DAYS``); when it ends the worker destroys the case's data key
(see :mod:`woundcare.storage.shredding`). Deliveries already made are listed so staff can
follow up with their receivers; nothing is un-sent by this system."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal
from uuid import UUID

import sqlalchemy as sa

from woundcare.domain.enums import CaseStatus, ConsentStatus
from woundcare.handoff.outbox import store
from woundcare.logging import get_logger
from woundcare.service.audit import Caller, record_audit
from woundcare.service.cases import CaseService
from woundcare.service.errors import ApiError
from woundcare.service.results import ApiResult
from woundcare.service.runtime import Runtime
from woundcare.storage.schema import shred_requests
from woundcare.storage.shredding import ShredResult, due_requests, shred_case

log = get_logger("woundcare.shredding")

ReasonCode = Literal["consent_withdrawn", "patient_request", "legal_order", "entered_in_error"]


def _deliveries(entries: list[store.Entry]) -> list[dict[str, Any]]:
    return [{"kind": e.kind, "entry_id": str(e.id),
             "delivered_at": e.delivered_at.isoformat() if e.delivered_at else None}
            for e in entries if e.status == "delivered" and e.kind != "report"]


class ShredService:
    def __init__(self, cases: CaseService) -> None:
        self.cases = cases
        self.rt = cases.rt

    def request(self, caller: Caller, case_id: UUID, reason_code: str) -> ApiResult:
        with self.cases.workspace(caller) as ws:
            record = self.cases._load(ws, case_id)
            if record.status is not CaseStatus.LOCKED or record.export is None:
                raise ApiError(422, "not_exported", "Only an exported case is shredded; an "
                               "unexported case is not stored for hand-off.")
            if record.consent.data_storage is not ConsentStatus.DECLINED:
                raise ApiError(422, "consent_not_withdrawn", "Record the withdrawal of "
                               "consent to data storage first (consent: data storage "
                               "declined).")
            existing = ws.uow.conn.execute(sa.select(shred_requests.c.due_at).where(
                shred_requests.c.case_id == case_id)).scalar_one_or_none()
            now = self.rt.clock()
            due = existing or now + timedelta(days=self.rt.settings.shred_grace_days)
            if existing is None:
                ws.uow.conn.execute(shred_requests.insert().values(
                    case_id=case_id, organisation_id=record.organisation_id,
                    requested_by=caller.clinician_id, requested_at=now, due_at=due,
                    reason_code=reason_code))
            deliveries = _deliveries(store.list_entries(ws.uow.conn, case_id=case_id))
            record_audit(ws.uow, caller, "case.shred_request", record=record,
                         detail={"reason_code": reason_code, "due_at": due.isoformat()})
        return ApiResult(202 if existing is None else 200, {
            "case_id": str(case_id), "due_at": due.isoformat(), "reason_code": reason_code,
            "deliveries_to_follow_up": deliveries})

    def cancel(self, caller: Caller, case_id: UUID) -> ApiResult:
        """Withdraw a shred request during the grace period (e.g. consent given again)."""
        with self.cases.workspace(caller) as ws:
            record = self.cases._load(ws, case_id)
            gone = ws.uow.conn.execute(shred_requests.delete().where(
                shred_requests.c.case_id == case_id,
                shred_requests.c.shredded_at.is_(None))).rowcount
            if not gone:
                raise ApiError(404, "shred_request_not_found", "No pending shred request.")
            record_audit(ws.uow, caller, "case.shred_cancel", record=record)
        return ApiResult(204, None)


def run_due(rt: Runtime) -> list[ShredResult]:
    """Shred every case whose grace period is over (operator database); then delete its
    blobs. Returns what was done, with the deliveries staff must follow up."""
    done = []
    with rt.db.engine.connect() as conn:
        due = due_requests(conn, now=rt.clock())
    for case_id, reason in due:
        with rt.db.unit_of_work(None) as uow:
            result = shred_case(uow.conn, case_id, now=rt.clock(), reason_code=reason)
        for key in result.blob_keys:
            rt.blobs.delete(key)
        log.info("case.shredded", case_id=str(case_id), reason_code=reason,
                 deliveries=len(result.deliveries), blobs=len(result.blob_keys))
        rt.metrics.inc("woundcare_shredded_cases_total")
        done.append(result)
    return done
