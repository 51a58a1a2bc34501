"""What a service hands back to a route (status, JSON body, headers), and idempotent replays.

A write with an ``Idempotency-Key`` claims the key first in its own transaction and records
the status, case id and version it produced - never the response, which held patient data in
clear. A retry with the same key and request is a read: access is checked again, it is
audited, and the answer is the case as it is now (``Idempotent-Replayed: true``); a caller who
may no longer see the case gets 404. The same key with a different request is refused (422);
a duplicate that cannot wait for the first gets ``409 idempotency_in_progress``. Refused writes
store nothing. Records live ``idempotency_ttl_hours`` and are pruned on a schedule
(:mod:`woundcare.service.housekeeping`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from woundcare.service.errors import ApiError
from woundcare.storage.repositories.idempotency import IdempotencyRecord


@dataclass
class ApiResult:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class IdempotencyRequest:
    key: str
    method: str
    path: str
    request_hash: str


def snapshot_result(body: dict[str, Any], status: int = 200) -> ApiResult:
    headers = {"ETag": f'"{body["version"]}"'}
    if status == 201:
        headers["Location"] = f"/api/session/{body['case_id']}"
    return ApiResult(status, body, headers)


def check_same_request(stored: IdempotencyRecord, request: IdempotencyRequest) -> None:
    """A key reused for a different request is refused (422), never replayed."""
    if (stored.request_hash, stored.method, stored.path) != (
        request.request_hash, request.method, request.path
    ):
        raise ApiError(422, "idempotency_key_reused",
                       "This Idempotency-Key was already used for a different request; use a "
                       "new key for a new request.")


def in_progress() -> ApiError:
    return ApiError(409, "idempotency_in_progress",
                    "A request with this Idempotency-Key is still being processed; retry in "
                    "a moment to get its result.", headers={"Retry-After": "1"})


def replayed_result(stored: IdempotencyRecord, body: dict[str, Any]) -> ApiResult:
    """The stored status with the case as it is now (``body``: the current snapshot)."""
    status = stored.status_code or 200
    result = snapshot_result(body, status)
    result.headers["Idempotent-Replayed"] = "true"
    return result
