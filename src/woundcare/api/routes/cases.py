"""``/api/cases``: the caller's worklist and case creation."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from woundcare.api.deps import CallerDep, IdemDep, ServicesDep, respond
from woundcare.api.routing import IncludedRoute
from woundcare.api.schemas import CaseList, NewCaseBody, SessionSnapshot, problems
from woundcare.domain.enums import CaseStatus, WorkflowState

router = APIRouter(prefix="/api/cases", tags=["cases"], route_class=IncludedRoute)


@router.get("", response_model=CaseList, responses=problems(401, 422))
def list_cases(
    caller: CallerDep,
    services: ServicesDep,
    state: WorkflowState | None = None,
    status: CaseStatus | None = None,
    mrn: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    """Cases the caller owns or holds a delegation for, most recently updated first. `q`
    finds patients by any part of their names (the beginning of a given or family name), a
    date of birth (`1951-02-03` or `03/02/1951`) or a part of the MRN; `mrn` by the MRN's
    beginning or end. Searches use the keyed blind index; `total` counts the matches."""
    return respond(services.cases.list_cases(caller, state=state, status=status, mrn=mrn,
                                             limit=limit, offset=offset, q=q))


@router.get("/{case_id}/possible-duplicates", responses=problems(401, 404, 422))
def possible_duplicates(case_id: UUID, caller: CallerDep, services: ServicesDep) -> Response:
    """Other cases that may be the same patient (same MRN, or the same full name and date of
    birth): shown as a warning while a case's patient is entered."""
    return respond(services.cases.possible_duplicates(caller, case_id))


@router.post("", status_code=201, response_model=SessionSnapshot,
             responses=problems(401, 403, 404, 422))
def create_case(caller: CallerDep, services: ServicesDep, idem: IdemDep,
                body: Annotated[NewCaseBody | None, Body()] = None) -> Response:
    """A new case (`{}`: a new patient and wound), the next visit of a finished one
    (`{"previous_case_id"}`), a new wound of a known patient (`{"patient_id"}`) or a visit of
    a known wound (`{"patient_id", "wound_id"}`)."""
    previous = body.previous_case_id if body is not None else None
    return respond(services.cases.create(
        caller, previous, idem, patient_id=body.patient_id if body is not None else None,
        wound_id=body.wound_id if body is not None else None))
