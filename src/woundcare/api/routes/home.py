"""``/api/home`` (the clinician's home page) and a case's next visit."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from woundcare.api.deps import CallerDep, ServicesDep, respond
from woundcare.api.routing import IncludedRoute
from woundcare.api.schemas import problems

router = APIRouter(tags=["home"], route_class=IncludedRoute)


class NextVisitBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    due_on: date | None = None


@router.get("/api/home", responses=problems(401))
def home(caller: CallerDep, services: ServicesDep) -> Response:
    """My open cases, my patients with their visits, and visits due (a next-visit date
    recorded by the clinician, from 14 days before it; overdue ones first)."""
    return respond(services.home.home(caller))


@router.get("/api/cases/{case_id}/next-visit", responses=problems(401, 404, 422))
def next_visit(case_id: UUID, caller: CallerDep, services: ServicesDep) -> Response:
    return respond(services.home.next_visit(caller, case_id))


@router.put("/api/cases/{case_id}/next-visit", responses=problems(401, 403, 404, 422))
def set_next_visit(case_id: UUID, body: NextVisitBody, caller: CallerDep,
                   services: ServicesDep) -> Response:
    """When to see the patient again (`{"due_on": "2026-12-08"}`, or `null` to clear); a
    scheduling fact, allowed on a finished case too."""
    return respond(services.home.set_next_visit(caller, case_id, body.due_on))
