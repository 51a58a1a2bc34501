"""Artifact upload (multipart) and download (decrypted, authorised, audited)."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response

from woundcare.api import concurrency
from woundcare.api.concurrency import slow_work
from woundcare.api.deps import CallerDep, IdemDep, ServicesDep, VersionDep, respond
from woundcare.api.json_guard import text_problem
from woundcare.api.routing import IncludedRoute
from woundcare.api.schemas import ParseProposal, SessionSnapshot, problems
from woundcare.domain.enums import Orientation
from woundcare.service.errors import ApiError, validation
from woundcare.service.uploads import Upload

router = APIRouter(prefix="/api/session/{case_id}/artifacts", tags=["artifacts"],
                   route_class=IncludedRoute)


@router.post("", response_model=SessionSnapshot,
             responses=problems(400, 401, 403, 404, 409, 413, 415, 422, 428, 429))
async def upload(
    case_id: UUID,
    caller: CallerDep,
    services: ServicesDep,
    version: VersionDep,
    idem: IdemDep,
    file: Annotated[UploadFile, File(description="The file; its type is read from its bytes")],
    kind: Annotated[Literal["image", "document", "audio"], Form()],
    site: Annotated[str | None, Form(min_length=1, max_length=200)] = None,
    orientation: Annotated[Orientation, Form()] = Orientation.UNSPECIFIED,
) -> Response:
    """Upload a photo, document or voice note. Images in WOUND_IMAGING become photos with
    their measured quality; image metadata (EXIF, GPS) is removed before storage."""
    if site is not None and (problem := text_problem("site", site)) is not None:
        raise validation([problem])  # NUL or a lone surrogate: neither store can hold it
    limit = services.runtime.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, "file_too_large",
                       f"The file is larger than the limit of {limit // (1024 * 1024)} MB.")
    if idem is not None:
        digest = hashlib.sha256(f"{kind}|{site}|{orientation.value}|".encode() + data)
        idem = dataclasses.replace(idem, request_hash=digest.hexdigest())
    item = Upload(kind=kind, data=data, claimed_type=file.content_type or "", site=site,
                  orientation=orientation)
    result = await concurrency.run(
        lambda: services.uploads.upload(caller, case_id, version, idem, item), concurrency.SLOW)
    return respond(result)


@router.post("/{artifact_id}/parse", response_model=ParseProposal,
             responses=problems(401, 404, 422))
@slow_work
def parse_document(case_id: UUID, artifact_id: UUID, caller: CallerDep,
                   services: ServicesDep) -> Response:
    """Read an uploaded document (plain text, or a PDF's text layer) through the intake
    parser: `{fields, consent, ambiguities, source_artifact_id}` to confirm; nothing saved."""
    return respond(services.uploads.parse_document(caller, case_id, artifact_id))


@router.get("/{artifact_id}", responses={200: {"content": {"application/octet-stream": {}},
                                               "description": "The decrypted bytes"},
                                         **problems(401, 404)})
def download(case_id: UUID, artifact_id: UUID, caller: CallerDep,
             services: ServicesDep) -> Response:
    data, media_type = services.uploads.download(caller, case_id, artifact_id)
    return Response(data, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{artifact_id}"',
        "Cache-Control": "no-store",
    })
