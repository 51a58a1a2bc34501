"""Reads for the console's administration area (org admins): the organisation's delegations
and audit trail, and logging a clinician out everywhere."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from woundcare.api.deps import CallerDep, ServicesDep, respond
from woundcare.api.routing import IncludedRoute
from woundcare.api.schemas import problems
from woundcare.service.admin_reads import AdminReads

router = APIRouter(tags=["admin"], route_class=IncludedRoute)

AuditAction = Annotated[str, Query(max_length=64, pattern=r"^[a-z_.]+$")]


@router.get("/api/admin/delegations", responses=problems(401, 403))
def list_delegations(caller: CallerDep, services: ServicesDep) -> Response:
    """Every delegation in the organisation, newest first (case references and people)."""
    return respond(AdminReads(services.admin).delegations(caller))


@router.get("/api/admin/audit", responses=problems(401, 403, 422))
def audit_trail(
    caller: CallerDep,
    services: ServicesDep,
    action: AuditAction | None = None,
    actor_id: UUID | None = None,
    case_id: UUID | None = None,
    outcome: Literal["success", "failure", "denied", "refused", "conflict"] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1800)] = 0,
) -> Response:
    """The organisation's audit trail, newest first, filtered by action, person, case,
    outcome and time (never PHI: who did what to which case reference, and how it ended)."""
    return respond(AdminReads(services.admin).audit(
        caller, action=action, actor_id=actor_id, case_id=case_id, outcome=outcome,
        since=since, until=until, limit=limit, offset=offset))


@router.post("/api/admin/clinicians/{clinician_id}/revoke-sessions",
             responses=problems(401, 403, 404))
def revoke_sessions(clinician_id: UUID, caller: CallerDep, services: ServicesDep) -> Response:
    """Log a clinician out on every device (a lost tablet, a suspected compromise)."""
    revoked = services.admin.revoke_sessions(caller, clinician_id)
    return JSONResponse({"clinician_id": str(clinician_id), "sessions_revoked": revoked})
