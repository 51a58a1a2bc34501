"""``/api/session/{case_id}/export/...``: the hand-off of a signed, exported visit (reads,
authorised and audited like the snapshot)."""

from __future__ import annotations

import json
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response

from woundcare.api.deps import CallerDep, ServicesDep
from woundcare.api.schemas import problems

router = APIRouter(prefix="/api/session/{case_id}/export", tags=["export"])

FHIR_JSON = "application/fhir+json"


@router.get("/fhir", responses={200: {"content": {FHIR_JSON: {}},
                                      "description": "The signed FHIR R4 transaction Bundle"},
                                **problems(401, 404, 409)})
def fhir_bundle(case_id: UUID, caller: CallerDep, services: ServicesDep) -> Response:
    """The visit as a FHIR R4 (4.0.1) transaction Bundle, signed (Provenance signature, a
    detached JWS); `409 not_exported` before the case is signed and exported."""
    bundle = services.export.fhir(caller, case_id)
    body = json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, media_type=FHIR_JSON, headers={
        "Content-Disposition": f'attachment; filename="case-{case_id}.fhir.json"',
        "Cache-Control": "no-store"})
