"""What a service hands back to a route (status, JSON body, headers), and idempotent replays.

A successful write with an ``Idempotency-Key`` stores its response in the same transaction as
the write; a retry with the same key and the same request gets that response back and changes
nothing; the same key with a different request is refused. Refused writes store nothing (they
changed nothing, so a retry simply runs again). Records live ``idempotency_ttl_hours``: older
ones are ignored, and each stored record first prunes the clinician's expired ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from woundcare.service.errors import ApiError
from woundcare.storage.unit_of_work import UnitOfWork


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


def replay(uow: UnitOfWork, request: IdempotencyRequest | None,
           expired_before: datetime) -> ApiResult | None:
    if request is None:
        return None
    stored = uow.idempotency.get(request.key)
    if stored is None or stored.created_at < expired_before:
        return None
    if (stored.request_hash, stored.method, stored.path) != (
        request.request_hash, request.method, request.path
    ):
        raise ApiError(422, "idempotency_key_reused",
                       "This Idempotency-Key was already used for a different request; use a "
                       "new key for a new request.")
    body = stored.response_body
    result = ApiResult(stored.status_code, body, {"Idempotent-Replayed": "true"})
    if isinstance(body, dict) and "version" in body and "case_id" in body:
        result.headers.update(snapshot_result(body, stored.status_code).headers)
    return result


def remember(uow: UnitOfWork, request: IdempotencyRequest | None, result: ApiResult,
             expired_before: datetime) -> None:
    if request is None or not 200 <= result.status < 300:
        return
    uow.idempotency.prune(before=expired_before)
    uow.idempotency.put(key=request.key, method=request.method, path=request.path,
                        request_hash=request.request_hash, status_code=result.status,
                        response_body=result.body)
