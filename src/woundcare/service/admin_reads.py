"""What the console's administration area reads (org admins, own organisation only): every
delegation in the organisation and the audit trail with filters. Like the rest of
administration, nothing here reads a case record: case references, people and actions only."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from woundcare.service.admin import AdminService
from woundcare.service.audit import Caller, record_audit
from woundcare.service.results import ApiResult
from woundcare.storage.schema import case_delegations

MAX_AUDIT_WINDOW = 2000


class AdminReads:
    def __init__(self, admin: AdminService) -> None:
        self.admin = admin

    def delegations(self, caller: Caller) -> ApiResult:
        self.admin._require_admin(caller)
        with self.admin.rt.db.unit_of_work(caller.identity) as uow:
            rows = uow.conn.execute(
                sa.select(case_delegations)
                .where(case_delegations.c.organisation_id == caller.identity.organisation_id)
                .order_by(case_delegations.c.created_at.desc())
                .limit(500)).mappings().all()
            record_audit(uow, caller, "admin.delegations.read", detail={"count": len(rows)})
        return ApiResult(200, {"items": [
            {"case_id": str(r["case_id"]), "clinician_id": str(r["clinician_id"]),
             "granted_by": str(r["granted_by"]), "created_at": r["created_at"].isoformat()}
            for r in rows]})

    def audit(self, caller: Caller, *, action: str | None, actor_id: UUID | None,
              case_id: UUID | None, outcome: str | None, since: datetime | None,
              until: datetime | None, limit: int, offset: int) -> ApiResult:
        """A page of the organisation's audit trail, newest first; ``has_more`` says whether
        an older page exists."""
        self.admin._require_admin(caller)
        window = min(MAX_AUDIT_WINDOW, offset + limit + 1)
        with self.admin.rt.db.unit_of_work(caller.identity) as uow:
            events = uow.audit.query(case_id=case_id, actor_id=actor_id, action=action,
                                     since=since, until=until,
                                     limit=window if outcome is None else MAX_AUDIT_WINDOW)
            if outcome is not None:
                events = [e for e in events if e.outcome == outcome]
            page = events[offset:offset + limit]
            record_audit(uow, caller, "admin.audit.read", detail={"count": len(page)})
        return ApiResult(200, {
            "items": [_event(e) for e in page], "limit": limit, "offset": offset,
            "has_more": len(events) > offset + limit,
        })


def _event(e: Any) -> dict[str, Any]:
    return {"id": str(e.id), "at": e.at.isoformat(), "action": e.action,
            "actor_id": str(e.actor_id) if e.actor_id else None,
            "case_id": str(e.case_id) if e.case_id else None, "agent": e.agent,
            "state": e.state, "outcome": e.outcome, "detail": e.detail or {}}
