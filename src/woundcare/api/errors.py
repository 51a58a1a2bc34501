"""Errors as ``application/problem+json``: a stable code, a human sentence, per-field problems.

Nothing here ever echoes an input value, a stack trace or SQL: domain errors carry sentences
written for clinicians, validation problems name the field and the rule, and anything
unexpected becomes a generic 500 with the request id (the details go to the redacted log).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from woundcare.api.deps import auth_refusal
from woundcare.crypto.errors import HashingBusy
from woundcare.domain.blockers import Blocker
from woundcare.domain.errors import (
    DomainError,
)
from woundcare.domain.problems import FieldProblem, problems_from_validation_error
from woundcare.logging import current_request_id, get_logger
from woundcare.messages import say
from woundcare.service.errors import ApiError, from_domain, not_found, validation
from woundcare.storage.errors import Busy, Unavailable

PROBLEM_JSON = "application/problem+json"
log = get_logger("woundcare.api")


class Problem(BaseModel):
    """The error body of every endpoint (RFC 9457 plus ``code``, ``errors``, ``request_id``)."""

    type: str = "about:blank"
    title: str
    status: int
    code: str
    detail: str
    errors: list[FieldProblem] = []
    request_id: str | None = None
    blockers: list[Blocker] | None = None
    current: dict[str, Any] | None = None
    retry_after: int | None = None


def problem_response(error: ApiError) -> JSONResponse:
    body = Problem(title=error.title, status=error.status, code=error.code, detail=error.detail,
                   errors=error.errors, request_id=current_request_id())
    data = body.model_dump(mode="json", exclude_none=True)
    data.update(error.extra)
    return JSONResponse(data, status_code=error.status, headers=error.headers,
                        media_type=PROBLEM_JSON)


# ---------------------------------------------------------------- request validation


class _Errors:
    """Lets FastAPI's error list go through :func:`problems_from_validation_error`."""

    def __init__(self, errors: Sequence[Any]) -> None:
        self._errors = errors

    def errors(self, **_: Any) -> list[dict[str, Any]]:
        return [dict(err, loc=_strip_location(err.get("loc", ()))) for err in self._errors]


def _strip_location(loc: Sequence[int | str]) -> tuple[int | str, ...]:
    parts = tuple(loc)
    if parts and parts[0] == "body":
        return parts[1:]
    return parts


def from_request_validation(exc: RequestValidationError) -> ApiError:
    errors = list(exc.errors())
    if any(err.get("type") == "json_invalid" for err in errors):
        return ApiError(400, "malformed_json", "The request body is not valid JSON.")
    if any(tuple(err.get("loc", ()))[:2] == ("path", "case_id") for err in errors):
        return not_found()
    problems = problems_from_validation_error(cast(ValidationError, _Errors(errors)))
    return validation(problems)


def from_pydantic(exc: ValidationError, prefix: str = "") -> ApiError:
    return validation(problems_from_validation_error(exc, prefix))


# ---------------------------------------------------------------- handlers


_HTTP_CODES = {400: "malformed_request", 404: "not_found", 405: "method_not_allowed",
               413: "payload_too_large", 415: "unsupported_media_type"}
_HTTP_DETAILS = {400: "The request could not be read.",
                 404: "There is nothing at this address.",
                 405: "This method is not allowed here.",
                 413: "The request body is too large.",
                 415: "This media type is not accepted."}


# Refusals worth counting in ``woundcare_security_events_total``. A case, artifact or
# clinician that is not visible answers 404 whether it exists elsewhere or not; repeated ones
# are how probing for other organisations' ids looks.
SECURITY_KINDS = {"case_not_found": "access_denied", "artifact_not_found": "access_denied",
                  "clinician_not_found": "access_denied", "csrf_failed": "csrf_failed",
                  "role_insufficient": "role_insufficient",
                  "not_case_owner": "role_insufficient"}


def as_api_error(request: Request, exc: Exception) -> ApiError:
    """The answer to an exception the handlers know (counting the busy ones); anything else
    is raised again (a generic 500 from the request middleware)."""
    metrics = request.app.state.runtime.metrics
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, DomainError):
        return from_domain(exc)
    if isinstance(exc, RequestValidationError):
        return from_request_validation(exc)
    if isinstance(exc, HashingBusy):
        metrics.count("hashing_busy")
        return ApiError(
            503, "server_busy", "The server is busy checking other sign-ins; try again in a "
            "moment.", headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, Busy):
        metrics.count("database_busy")
        return ApiError(
            503, "database_busy", "The record is busy with another change; try again in a "
            "moment.", headers={"Retry-After": "1"})
    if isinstance(exc, Unavailable):
        log.warning("database.connection_lost", route=getattr(
            request.scope.get("route"), "path", "unmatched"))
        metrics.count("database_unavailable")
        return ApiError(503, "database_unavailable", say("error.api.database_unavailable"),
                        headers={"Retry-After": "1"})
    if isinstance(exc, StarletteHTTPException):
        status = exc.status_code
        return ApiError(status, _HTTP_CODES.get(status, "http_error"),
                        _HTTP_DETAILS.get(status, "The request failed."), headers=exc.headers)
    raise exc


HANDLED = (ApiError, DomainError, RequestValidationError, HashingBusy, Busy, Unavailable,
           StarletteHTTPException)


def install_error_handlers(app: FastAPI) -> None:
    async def answer(request: Request, exc: Exception) -> JSONResponse:
        # Credentials first: if the route needs them and they fail, that is the answer (a
        # request without a valid session learns nothing about its body or headers).
        refusal = await auth_refusal(request)
        error = as_api_error(request, exc if refusal is None else refusal)
        kind = SECURITY_KINDS.get(error.code)
        if kind is not None:
            request.app.state.runtime.metrics.count(kind)
        return problem_response(error)

    for kind in HANDLED:
        app.add_exception_handler(kind, answer)


def internal_error_response() -> JSONResponse:
    return problem_response(ApiError(
        500, "internal_error",
        "Something went wrong on our side. Quote the request id if you report it."))
