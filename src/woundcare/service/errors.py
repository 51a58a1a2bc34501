"""Service errors: what a request failed with, as an HTTP status, a stable code and a
sentence a person understands (never an input value, a stack trace or SQL). The API renders
them as ``application/problem+json``; the command line prints their sentence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from woundcare.adapters.pin_verifier import PinLocked
from woundcare.domain.errors import (
    CaseNotFound,
    DomainError,
    GuardFailed,
    InputRejected,
    PinRejected,
    VersionConflict,
)
from woundcare.domain.problems import FieldProblem
from woundcare.messages import say


class ApiError(Exception):
    """An error the API answers with a problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        title: str | None = None,
        errors: Sequence[FieldProblem] = (),
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.title = title or TITLES.get(status, "Error")
        self.errors = list(errors)
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


TITLES: dict[int, str] = {
    400: "Malformed request",
    401: "Not logged in",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    415: "Unsupported media type",
    422: "Validation failed",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal error",
    503: "Not ready",
}


# ---------------------------------------------------------------- common errors


def not_found(what: str = "case") -> ApiError:
    return ApiError(404, f"{what}_not_found", say("error.api.not_found", what=what))


def unauthorised(detail: str = "Log in to continue.", code: str = "not_authenticated") -> ApiError:
    return ApiError(401, code, detail, headers={"WWW-Authenticate": "Bearer"})


def forbidden(detail: str, code: str = "forbidden") -> ApiError:
    return ApiError(403, code, detail)


def too_many(retry_after: int, code: str = "rate_limited",
             detail: str = "Too many requests; wait a moment and try again.") -> ApiError:
    retry_after = max(1, retry_after)
    return ApiError(429, code, detail, headers={"Retry-After": str(retry_after)},
                    extra={"retry_after": retry_after})


def validation(problems: Sequence[FieldProblem],
               detail: str = "Some fields need attention.") -> ApiError:
    return ApiError(422, "validation_failed", detail, errors=problems)


def field_error(path: str, code: str, message: str, status: int = 422) -> ApiError:
    return ApiError(status, code, message, errors=[FieldProblem(path=path, code=code,
                                                                 message=message)])


# ---------------------------------------------------------------- domain errors


def from_domain(exc: DomainError, current: dict[str, Any] | None = None) -> ApiError:
    """Map a domain error (whose message is a PHI-free sentence) to its HTTP form."""
    if isinstance(exc, CaseNotFound):
        return not_found()
    if isinstance(exc, VersionConflict):
        return ApiError(409, exc.code, exc.message, extra={"current": current})
    if isinstance(exc, GuardFailed):
        problems = [FieldProblem(path=b.field or f"action:{b.action}", code=b.code,
                                 message=b.message) for b in exc.blockers]
        return ApiError(422, exc.code, exc.message, title="Blocked", errors=problems,
                        extra={"blockers": [b.model_dump(mode="json") for b in exc.blockers]})
    if isinstance(exc, InputRejected):
        return validation(exc.problems, exc.message)
    if isinstance(exc, PinLocked):
        seconds = int((exc.until - datetime.now(UTC)).total_seconds()) + 1
        return too_many(seconds, "pin_locked", exc.message)
    if isinstance(exc, PinRejected):  # pin_rejected, or a subclass's code (pin_not_set)
        return field_error("pin", exc.code, exc.message)
    return ApiError(422, exc.code, exc.message, title="Not allowed")
