"""Operations: liveness and readiness. Metrics are not served here: they have their own
listener (``WOUNDCARE_METRICS_PORT``, see ``woundcare.service.metrics``)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from woundcare.api.deps import ServicesDep
from woundcare.api.errors import problem_response
from woundcare.api.routing import IncludedRoute
from woundcare.logging import get_logger
from woundcare.service.errors import ApiError

router = APIRouter(tags=["operations"], route_class=IncludedRoute)
# Readiness has a router of its own, included first: FastAPI builds an included router's
# routes when a request first reaches that router, so the probe that says when the server is
# ready builds only itself (liveness's response model, for one, loads pydantic's v1 shim).
readiness = APIRouter(tags=["operations"], route_class=IncludedRoute)
log = get_logger("woundcare.ops")


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@readiness.get("/readyz", responses={503: {"description": "Not ready (which check failed)"}})
def readyz(services: ServicesDep) -> JSONResponse:
    """Readiness: database reachable, migrations current, keys loaded."""
    rt = services.runtime
    checks = {"database": False, "migrations": False, "keys": rt.keys is not None}
    try:
        with rt.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            checks["database"] = True
            from woundcare.storage.migrate import is_current  # alembic: not at start-up

            checks["migrations"] = is_current(conn)
    except Exception as exc:  # readiness reports, it does not raise
        log.warning("readyz.failed", error_type=type(exc).__name__)
    if all(checks.values()):
        return JSONResponse({"status": "ready", "checks": checks})
    failed = ", ".join(name for name, ok in checks.items() if not ok)
    return problem_response(ApiError(503, "not_ready", f"Not ready: {failed}.",
                                     extra={"checks": checks}))
