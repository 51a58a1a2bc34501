"""``/api/patients`` and ``/api/wounds``: a patient's visits and a wound's history."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import Response

from woundcare.api.deps import CallerDep, ServicesDep, respond
from woundcare.api.routing import IncludedRoute
from woundcare.api.schemas import problems

router = APIRouter(tags=["patients"], route_class=IncludedRoute)


@router.get("/api/patients", response_model=dict[str, Any], responses=problems(401, 422))
def list_patients(caller: CallerDep, services: ServicesDep,
                  limit: Annotated[int, Query(ge=1, le=100)] = 20,
                  offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    """Patients with at least one visit the caller can see, most recent visit first."""
    return respond(services.patients.list_patients(caller, limit=limit, offset=offset))


@router.get("/api/patients/{patient_id}/visits", response_model=dict[str, Any],
            responses=problems(401, 404))
def visits(patient_id: UUID, caller: CallerDep, services: ServicesDep) -> Response:
    """The patient's visits the caller can see, oldest first, and their wounds."""
    return respond(services.patients.visits(caller, patient_id))


@router.get("/api/wounds/{wound_id}/history", response_model=dict[str, Any],
            responses=problems(401, 404))
def history(wound_id: UUID, caller: CallerDep, services: ServicesDep) -> Response:
    """The wound's size at each visit and the change between visits (facts only)."""
    return respond(services.patients.wound_history(caller, wound_id))
