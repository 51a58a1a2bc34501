"""The outbox seen from the requests: entries written with the export, the report read
(``202`` until the worker has rendered it), and the administrators' dead-letter view."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.engine import Connection

from woundcare.domain.record import CaseRecord
from woundcare.handoff.outbox import store
from woundcare.service.audit import Caller, record_audit
from woundcare.service.cases import CaseService
from woundcare.service.errors import ApiError, forbidden, not_found
from woundcare.service.results import ApiResult
from woundcare.service.runtime import Runtime

RETRY_AFTER_SECONDS = 3


def export_kinds(rt: Runtime, destinations: list[str]) -> list[str]:
    """The PDF report is always rendered; ``archive`` drops it in the report folder; the FHIR
    server gets the bundle when one is configured (or ``fhir`` is asked for); ``team_board``
    posts a notice."""
    kinds = ["report"]
    if "archive" in destinations:
        kinds.append("report_drop")
    if rt.settings.fhir_server_url or "fhir" in destinations:
        kinds.append("fhir")
    if "team_board" in destinations:
        kinds.append("team_board")
    return kinds


def enqueue_export(rt: Runtime, conn: Connection, record: CaseRecord,
                   destinations: list[str]) -> list[UUID]:
    return store.enqueue(conn, organisation_id=record.organisation_id, case_id=record.case_id,
                         kinds=export_kinds(rt, destinations), now=rt.clock(),
                         max_attempts=rt.settings.outbox_max_attempts)


def entry_view(entry: store.Entry) -> dict[str, Any]:
    return {"id": str(entry.id), "case_id": str(entry.case_id), "kind": entry.kind,
            "status": entry.status, "attempts": entry.attempts,
            "max_attempts": entry.max_attempts,
            "next_attempt_at": entry.next_attempt_at.isoformat(),
            "last_error": entry.last_error, "created_at": entry.created_at.isoformat(),
            "delivered_at": entry.delivered_at.isoformat() if entry.delivered_at else None}


class OutboxService:
    def __init__(self, cases: CaseService) -> None:
        self.cases = cases
        self.rt = cases.rt

    def report(self, caller: Caller, case_id: UUID) -> tuple[bytes | None, ApiResult | None]:
        """The rendered PDF, or a ``202`` (rendering is queued; enqueued here when missing)."""
        from woundcare.service.delivery import read_report

        with self.cases.workspace(caller) as ws:
            record = self.cases._load(ws, case_id)
            if record.export is None:
                raise ApiError(409, "not_exported", "This case has not been signed and "
                               "exported yet; export it first.")
            entries = store.list_entries(ws.uow.conn, case_id=case_id)
            report = next((e for e in entries if e.kind == "report"), None)
            if report is None:
                store.enqueue(ws.uow.conn, organisation_id=record.organisation_id,
                              case_id=case_id, kinds=["report"], now=self.rt.clock(),
                              max_attempts=self.rt.settings.outbox_max_attempts)
            ready = report is not None and report.status == "delivered"
            record_audit(ws.uow, caller, "export.report", record=record,
                         outcome="success" if ready else "pending")
            if report is not None and report.status == "dead":
                raise ApiError(503, "report_failed", "The report could not be rendered; an "
                               "administrator can retry it from the dead-letter list.")
        if not ready:
            return None, ApiResult(202, {"status": "pending", "retry_after":
                                         RETRY_AFTER_SECONDS},
                                   headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        return read_report(self.rt, self.cases, caller, case_id), None

    def list(self, caller: Caller, status: str | None,
             case_id: UUID | None = None) -> ApiResult:
        if not caller.identity.is_org_admin:
            raise forbidden("This needs the organisation administrator role.",
                            "role_insufficient")
        with self.rt.db.unit_of_work(caller.identity, read_only=True) as uow:
            entries = store.list_entries(uow.conn, status=status, case_id=case_id,
                                         organisation_id=caller.identity.organisation_id)
        return ApiResult(200, {"items": [entry_view(e) for e in entries]})

    def retry(self, caller: Caller, entry_id: UUID) -> ApiResult:
        if not caller.identity.is_org_admin:
            raise forbidden("This needs the organisation administrator role.",
                            "role_insufficient")
        with self.rt.db.unit_of_work(caller.identity) as uow:
            mine = store.list_entries(uow.conn, organisation_id=caller.identity.organisation_id,
                                      limit=10_000)
            entry = next((e for e in mine if e.id == entry_id), None)
            if entry is None:
                raise not_found("outbox_entry")
            if not store.requeue(uow.conn, entry_id, now=self.rt.clock()):
                raise ApiError(409, "not_dead", "Only a dead-lettered delivery can be retried.")
            record_audit(uow, caller, "outbox.retry", case_id=entry.case_id,
                         detail={"kind": entry.kind})
        return ApiResult(200, {"id": str(entry_id), "status": "pending"})
