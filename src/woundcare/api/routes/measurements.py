"""Measuring a traced outline on a case's photo, and the photo rectified to scale."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import Response

from woundcare.api.concurrency import slow_work
from woundcare.api.deps import CallerDep, IdemDep, ServicesDep, VersionDep, respond
from woundcare.api.routing import IncludedRoute
from woundcare.api.schemas import OutlineBody, SessionSnapshot, problems

router = APIRouter(tags=["measurement"], route_class=IncludedRoute)
PHOTO = "/api/session/{case_id}/photos/{artifact_id}"


@router.get("/api/marker.pdf", responses={200: {"content": {"application/pdf": {}},
                                                "description": "The marker to print"},
                                          **problems(401, 422)})
@slow_work
def marker_pdf(caller: CallerDep,
               size_cm: Annotated[float, Query(ge=1, le=10)] = 2.0) -> Response:
    """The calibration marker as a PDF page to print at true size (quiet zone, label, a 5 cm
    check bar)."""
    from woundcare.imaging.marker import marker_pdf as render

    return Response(render(size_cm), media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="woundcare-marker-{size_cm:g}cm.pdf"'})


@router.post(f"{PHOTO}/measure", response_model=SessionSnapshot,
             responses=problems(401, 403, 404, 409, 415, 422, 428))
@slow_work
def measure(case_id: UUID, artifact_id: UUID, body: OutlineBody, caller: CallerDep,
            services: ServicesDep, version: VersionDep, idem: IdemDep) -> Response:
    """Measure the traced outline on the photo's marker plane and save it as the wound's
    measurement (method `traced_outline`); the answer is the new snapshot."""
    return respond(services.measurements.save(caller, case_id, artifact_id, version, idem,
                                               body.outline, body.marker_size_cm))


@router.post(f"{PHOTO}/measure/preview", response_model=dict[str, Any],
             responses=problems(401, 403, 404, 415, 422))
@slow_work
def preview(case_id: UUID, artifact_id: UUID, body: OutlineBody, caller: CallerDep,
            services: ServicesDep) -> Response:
    """The measurement of the traced outline (as `woundcare measure` prints it); nothing is
    saved."""
    return respond(services.measurements.preview(caller, case_id, artifact_id, body.outline,
                                                 body.marker_size_cm))


@router.get(f"{PHOTO}/rectified", responses={200: {"content": {"image/png": {}},
                                           "description": "The photo seen straight on"},
                                     **problems(401, 404, 415, 422)})
@slow_work
def rectified(case_id: UUID, artifact_id: UUID, caller: CallerDep, services: ServicesDep,
              px_per_cm: Annotated[float, Query(ge=5, le=80)] = 20.0,
              marker_size_cm: Annotated[float | None, Query(ge=1, le=10)] = None) -> Response:
    """The photo on the marker's plane at `px_per_cm`: two visits' photos at the same
    `px_per_cm` are at the same scale and orientation."""
    data, headers = services.measurements.rectified(caller, case_id, artifact_id, px_per_cm,
                                                    marker_size_cm)
    return Response(data, media_type="image/png", headers=headers)
