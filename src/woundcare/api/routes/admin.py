"""``/api/admin`` (org admins, own organisation only) and case delegations."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from woundcare.api.concurrency import credential_work
from woundcare.api.deps import CallerDep, ServicesDep
from woundcare.api.routing import IncludedRoute
from woundcare.api.schemas import (
    ClinicianView,
    CreatedClinician,
    DelegationBody,
    DelegationView,
    NewClinicianBody,
    RoleBody,
    problems,
)

router = APIRouter(tags=["admin"], route_class=IncludedRoute)


@router.get("/api/admin/clinicians", response_model=list[ClinicianView],
            responses=problems(401, 403))
def list_clinicians(caller: CallerDep, services: ServicesDep) -> JSONResponse:
    return JSONResponse(services.admin.list_clinicians(caller))


@router.post("/api/admin/clinicians", status_code=201, response_model=CreatedClinician,
             responses=problems(401, 403, 409, 422))
@credential_work
def invite_clinician(body: NewClinicianBody, caller: CallerDep,
                     services: ServicesDep) -> JSONResponse:
    """Adds a clinician; the one-time temporary password is shown only in this response."""
    created = services.admin.create_clinician(caller, body.email, body.display_name, body.role)
    return JSONResponse(created, status_code=201)


@router.put("/api/admin/clinicians/{clinician_id}/role", response_model=ClinicianView,
            responses=problems(401, 403, 404, 422))
def set_role(clinician_id: UUID, body: RoleBody, caller: CallerDep,
             services: ServicesDep) -> JSONResponse:
    return JSONResponse(services.admin.set_role(caller, clinician_id, body.role))


@router.post("/api/admin/clinicians/{clinician_id}/pin-reset", status_code=204,
             responses=problems(401, 403, 404))
def reset_pin(clinician_id: UUID, caller: CallerDep, services: ServicesDep) -> Response:
    """Clears the clinician's PIN and any lockout; they set a new one with their password."""
    services.admin.reset_pin(caller, clinician_id)
    return Response(status_code=204)


@router.post("/api/cases/{case_id}/delegations", status_code=201, response_model=DelegationView,
             responses=problems(401, 403, 404, 422))
def delegate(case_id: UUID, body: DelegationBody, caller: CallerDep,
             services: ServicesDep) -> JSONResponse:
    """The case owner or an org admin lets a colleague (same organisation) work on a case.
    An org admin delegating a case to themselves is break-glass: send `reason`."""
    return JSONResponse(services.admin.delegate(caller, case_id, body.clinician_id,
                                                reason=body.reason),
                        status_code=201)


@router.delete("/api/cases/{case_id}/delegations/{clinician_id}", status_code=204,
               responses=problems(401, 403, 404))
def undelegate(case_id: UUID, clinician_id: UUID, caller: CallerDep,
               services: ServicesDep) -> Response:
    services.admin.undelegate(caller, case_id, clinician_id)
    return Response(status_code=204)
