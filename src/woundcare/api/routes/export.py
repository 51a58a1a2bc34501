"""``/api/session/{case_id}/export/...``: the hand-off of a signed, exported visit (reads,
authorised and audited like the snapshot)."""

from __future__ import annotations

import json
from typing import Literal
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from woundcare.api.concurrency import slow_work
from woundcare.api.deps import CallerDep, ServicesDep, respond
from woundcare.api.routing import IncludedRoute
from woundcare.api.schemas import problems
from woundcare.service.shredding import ReasonCode

router = APIRouter(prefix="/api/session/{case_id}/export", tags=["export"],
                   route_class=IncludedRoute)

FHIR_JSON = "application/fhir+json"


@router.get("/fhir", responses={200: {"content": {FHIR_JSON: {}},
                                      "description": "The signed FHIR R4 transaction Bundle"},
                                **problems(401, 404, 409)})
@slow_work
def fhir_bundle(case_id: UUID, caller: CallerDep, services: ServicesDep) -> Response:
    """The visit as a FHIR R4 (4.0.1) transaction Bundle, signed (Provenance signature, a
    detached JWS); `409 not_exported` before the case is signed and exported."""
    bundle = services.export.fhir(caller, case_id)
    body = json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, media_type=FHIR_JSON, headers={
        "Content-Disposition": f'attachment; filename="case-{case_id}.fhir.json"',
        "Cache-Control": "no-store"})


@router.get("/report.pdf", responses={200: {"content": {"application/pdf": {}},
                                            "description": "The visit report (PDF)"},
                                      202: {"description": "Rendering is queued; retry after "
                                                           "`Retry-After` seconds"},
                                      **problems(401, 404, 409)})
@slow_work
def report_pdf(case_id: UUID, caller: CallerDep, services: ServicesDep) -> Response:
    """The PDF report, rendered by the delivery worker (never in the request): `202` with
    `Retry-After` until it is ready."""
    pdf, pending = services.outbox.report(caller, case_id)
    if pending is not None:
        return respond(pending)
    assert pdf is not None
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="case-{case_id}-report.pdf"',
        "Cache-Control": "no-store"})


class ShredBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason_code: ReasonCode


@router.post("/shred-request", status_code=202, responses=problems(401, 403, 404, 422))
def shred_request(case_id: UUID, body: ShredBody, caller: CallerDep,
                  services: ServicesDep) -> Response:
    """After a withdrawal of consent to data storage on an exported case: destroy the case's
    data key once the grace period is over. Answers the due time and the deliveries already
    made (for staff to follow up)."""
    return respond(services.shredding.request(caller, case_id, body.reason_code))


@router.delete("/shred-request", status_code=204, responses=problems(401, 403, 404))
def cancel_shred_request(case_id: UUID, caller: CallerDep, services: ServicesDep) -> Response:
    """Cancel a pending shred request during its grace period (audited)."""
    return respond(services.shredding.cancel(caller, case_id))


admin_router = APIRouter(prefix="/api/admin/outbox", tags=["admin"],
                         route_class=IncludedRoute)

OutboxStatus = Literal["pending", "in_progress", "delivered", "dead"]


@admin_router.get("", responses=problems(401, 403))
def outbox_entries(caller: CallerDep, services: ServicesDep,
                   status: OutboxStatus | None = None, case_id: UUID | None = None) -> Response:
    """Deliveries of the organisation (org admins): `?status=dead` lists the dead letters,
    `?case_id=` one case's deliveries (e.g. to follow up after a consent withdrawal)."""
    return respond(services.outbox.list(caller, status, case_id))


@admin_router.post("/{entry_id}/retry", responses=problems(401, 403, 404, 409))
def retry_entry(entry_id: UUID, caller: CallerDep, services: ServicesDep) -> Response:
    """Put a dead-lettered delivery back in the queue with fresh attempts (audited)."""
    return respond(services.outbox.retry(caller, entry_id))
