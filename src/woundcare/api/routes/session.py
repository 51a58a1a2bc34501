"""``/api/session/{case_id}``: the snapshot, workflow events and every step's input.

Every write needs `If-Match: "<version>"` and accepts `Idempotency-Key`; each answers with
the new snapshot and its `ETag`.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import ValidationError

from woundcare.api.concurrency import credential_work, slow_work
from woundcare.api.deps import CallerDep, IdemDep, ServicesDep, VersionDep, respond
from woundcare.api.errors import from_pydantic
from woundcare.api.routing import IncludedRoute
from woundcare.api.schemas import (
    ChainReportView,
    FollowUpBody,
    ParseBody,
    ParseProposal,
    ProvenanceList,
    SessionSnapshot,
    TimelinePage,
    problems,
)
from woundcare.domain.enums import WorkflowEvent, WorkflowState
from woundcare.domain.inputs import (
    AssembleInput,
    BioInput,
    ConsentPatch,
    ExportInput,
    FollowUpInput,
    ImagingInput,
    PinInput,
    ReviewInput,
    TimeInput,
    VitalsInput,
)

router = APIRouter(prefix="/api/session/{case_id}", tags=["session"],
                   route_class=IncludedRoute)

READ = problems(401, 404)
WRITE = problems(400, 401, 403, 404, 409, 413, 422, 428, 429)
SNAPSHOT = {"model": SessionSnapshot, "description": "The new snapshot (ETag: its version)"}


@router.get("", response_model=SessionSnapshot, responses=READ)
def snapshot(case_id: UUID, caller: CallerDep, services: ServicesDep) -> Response:
    """The session snapshot, with `ETag: "<version>"`."""
    return respond(services.cases.snapshot(caller, case_id))


@router.post("/events/{event}", response_model=SessionSnapshot, responses=WRITE)
def fire(case_id: UUID, event: WorkflowEvent, caller: CallerDep, services: ServicesDep,
         version: VersionDep, idem: IdemDep) -> Response:
    """Fire a workflow event; `422` with `blockers` when a guard fails. `RESET` in DONE opens
    the next visit and answers `201` with the new case's snapshot."""
    return respond(services.cases.fire(caller, case_id, version, idem, event))


@router.post("/bio", response_model=SessionSnapshot, responses=WRITE)
def bio(case_id: UUID, body: BioInput, caller: CallerDep, services: ServicesDep,
        version: VersionDep, idem: IdemDep) -> Response:
    return respond(services.cases.submit(caller, case_id, version, idem, body))


@router.post("/bio/parse", response_model=ParseProposal, responses=problems(401, 404, 422))
def parse_bio(case_id: UUID, body: ParseBody, caller: CallerDep,
              services: ServicesDep) -> Response:
    """A proposal from free text (`{fields, consent, ambiguities}`); nothing is saved."""
    return respond(services.cases.parse(caller, case_id, body.free_text))


@router.post("/consent", response_model=SessionSnapshot, responses=WRITE)
def consent(case_id: UUID, body: ConsentPatch, caller: CallerDep, services: ServicesDep,
            version: VersionDep, idem: IdemDep) -> Response:
    """Consent may change in any state (on a locked record only revocations)."""
    return respond(services.cases.consent(caller, case_id, version, idem, body))


@router.post("/imaging", response_model=SessionSnapshot, responses=WRITE)
def imaging(case_id: UUID, body: ImagingInput, caller: CallerDep, services: ServicesDep,
            version: VersionDep, idem: IdemDep) -> Response:
    return respond(services.cases.submit(caller, case_id, version, idem, body))


@router.post("/vitals", response_model=SessionSnapshot, responses=WRITE)
def vitals(case_id: UUID, body: VitalsInput, caller: CallerDep, services: ServicesDep,
           version: VersionDep, idem: IdemDep) -> Response:
    return respond(services.cases.submit(caller, case_id, version, idem, body))


@router.post("/time", response_model=SessionSnapshot, responses=WRITE)
def time_assessment(case_id: UUID, body: TimeInput, caller: CallerDep, services: ServicesDep,
                    version: VersionDep, idem: IdemDep) -> Response:
    return respond(services.cases.submit(caller, case_id, version, idem, body))


@router.post("/follow-ups/refresh", response_model=SessionSnapshot, responses=WRITE)
def refresh_follow_ups(case_id: UUID, caller: CallerDep, services: ServicesDep,
                       version: VersionDep, idem: IdemDep) -> Response:
    return respond(services.cases.submit(caller, case_id, version, idem,
                                         FollowUpInput(refresh=True)))


@router.post("/follow-ups/{follow_up_id}", response_model=SessionSnapshot, responses=WRITE)
def follow_up(case_id: UUID, follow_up_id: UUID, body: FollowUpBody, caller: CallerDep,
              services: ServicesDep, version: VersionDep, idem: IdemDep) -> Response:
    """Answer a follow-up question (`{answer}`) or dismiss it (`{dismiss_reason}`)."""
    try:
        step = FollowUpInput(follow_up_id=follow_up_id,
                             **body.model_dump(exclude_unset=True))
    except ValidationError as exc:
        raise from_pydantic(exc) from None
    return respond(services.cases.submit(caller, case_id, version, idem, step))


@router.post("/review", response_model=SessionSnapshot, responses=WRITE)
def review(case_id: UUID, body: ReviewInput, caller: CallerDep, services: ServicesDep,
           version: VersionDep, idem: IdemDep) -> Response:
    return respond(services.cases.submit(caller, case_id, version, idem, body))


@router.post("/assemble", response_model=SessionSnapshot, responses=WRITE)
def assemble(case_id: UUID, caller: CallerDep, services: ServicesDep, version: VersionDep,
             idem: IdemDep) -> Response:
    return respond(services.cases.submit(caller, case_id, version, idem, AssembleInput()))


@router.post("/sign", response_model=SessionSnapshot, responses=WRITE)
@credential_work
def sign(case_id: UUID, body: PinInput, caller: CallerDep, services: ServicesDep,
         version: VersionDep, idem: IdemDep) -> Response:
    """PIN signature: wrong PIN `422 pin_rejected`; too many wrong PINs `429 pin_locked`."""
    return respond(services.cases.sign(caller, case_id, version, idem, body))


@router.post("/export", response_model=SessionSnapshot, responses=WRITE)
@slow_work
def export(case_id: UUID, body: ExportInput, caller: CallerDep, services: ServicesDep,
           version: VersionDep, idem: IdemDep) -> Response:
    return respond(services.cases.export(caller, case_id, version, idem, body))


@router.get("/timeline", response_model=TimelinePage, responses=problems(401, 404, 422))
def timeline(
    case_id: UUID,
    caller: CallerDep,
    services: ServicesDep,
    cursor: Annotated[str | None, Query(pattern=r"^\d{1,9}$",
                                        description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    state: WorkflowState | None = None,
) -> Response:
    """The case's timeline (its provenance as rows: who changed which field, when, in which
    step), newest first, a page at a time; `next_cursor` is null on the last page."""
    return respond(services.cases.timeline(caller, case_id,
                                           cursor=int(cursor) if cursor else None,
                                           limit=limit, state=state))


@router.get("/provenance", response_model=ProvenanceList, responses=READ)
def provenance(case_id: UUID, caller: CallerDep, services: ServicesDep) -> Response:
    return respond(services.cases.provenance(caller, case_id))


@router.get("/provenance/verify", response_model=ChainReportView, responses=READ)
def verify_provenance(case_id: UUID, caller: CallerDep, services: ServicesDep) -> Response:
    """Checks the tamper-evidence hash chain: `{ok, entries, head, problems}`."""
    return respond(services.cases.verify_provenance(caller, case_id))
