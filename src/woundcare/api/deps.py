"""Request dependencies: the services, the authenticated caller (cookie or bearer), CSRF on
cookie-authenticated writes, ``If-Match`` and ``Idempotency-Key``."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse, Response

from woundcare.messages import say
from woundcare.service.admin import AdminService
from woundcare.service.audit import Caller
from woundcare.service.auth import Authenticated, AuthService
from woundcare.service.cases import CaseService
from woundcare.service.errors import ApiError, forbidden, unauthorised
from woundcare.service.export import ExportService
from woundcare.service.home import HomeService
from woundcare.service.outbox import OutboxService
from woundcare.service.patients import PatientService
from woundcare.service.results import ApiResult, IdempotencyRequest
from woundcare.service.runtime import Runtime
from woundcare.service.shredding import ShredService
from woundcare.service.uploads import UploadService

if TYPE_CHECKING:
    from woundcare.service.measurements import MeasurementService

SESSION_COOKIE = "__Host-woundcare_session"
INSECURE_SESSION_COOKIE = "woundcare_session"  # only when cookie_secure is off (never prod)
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_IDEMPOTENCY_KEY = 100
_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,10})"?\s*$')


@dataclass
class Services:
    runtime: Runtime
    auth: AuthService
    cases: CaseService
    admin: AdminService
    uploads: UploadService
    export: ExportService
    outbox: OutboxService
    shredding: ShredService
    patients: PatientService

    @cached_property
    def measurements(self) -> MeasurementService:
        """Loaded with the first measurement (OpenCV and numpy stay out of start-up)."""
        from woundcare.service.measurements import MeasurementService

        return MeasurementService(self.cases, self.uploads)

    @cached_property
    def home(self) -> HomeService:
        return HomeService(self.cases)

    @classmethod
    def build(cls, runtime: Runtime) -> Services:
        cases = CaseService(runtime)
        uploads = UploadService(cases)
        return cls(runtime, AuthService(runtime), cases, AdminService(runtime), uploads,
                   ExportService(cases), OutboxService(cases), ShredService(cases),
                   PatientService(cases))


async def get_services(request: Request) -> Services:  # async: no worker thread needed
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def request_id(request: Request) -> str | None:
    value = request.scope.get("woundcare.request_id")
    return value if isinstance(value, str) else None


def cookie_name(services: Services) -> str:
    return SESSION_COOKIE if services.runtime.settings.cookie_secure else INSECURE_SESSION_COOKIE


def authenticated(request: Request, services: ServicesDep) -> Authenticated:
    """The session behind the request. Bearer tokens need no CSRF token; a cookie-carried
    session must send ``X-CSRF-Token`` on every write. The session lookup's transaction is
    continued by the request's first unit of work (PostgreSQL); on a refusal it is rolled
    back here, and if no work takes it the request middleware commits it (it may hold the
    idle-expiry touch)."""
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorised("Send the token as 'Authorization: Bearer <token>'.",
                               "bad_authorization")
        via_cookie = False
        token = token.strip()
    else:
        token = request.cookies.get(cookie_name(services), "")
        via_cookie = True
    if not token:
        raise unauthorised()
    auth = services.auth.authenticate(token, client_address(request), request_id(request),
                                      via_cookie)
    if via_cookie and request.method not in SAFE_METHODS and not services.auth.csrf_ok(
        auth, request.headers.get(CSRF_HEADER)
    ):
        services.runtime.db.release_carried(commit=False)
        raise forbidden("The CSRF token is missing or wrong; reload the page and try again.",
                        "csrf_failed")
    return auth


AuthDep = Annotated[Authenticated, Depends(authenticated)]


async def caller(auth: AuthDep) -> Caller:
    return auth.caller


CallerDep = Annotated[Caller, Depends(caller)]


async def expected_version(
    if_match: Annotated[str | None, Header(alias="If-Match",
                                           description='The version you expect: "14"')] = None,
) -> int:
    if if_match is None or not if_match.strip():
        raise ApiError(428, "if_match_required",
                       'Send the version you are changing in the If-Match header, e.g. '
                       'If-Match: "14".')
    match = _ETAG.match(if_match)
    if match is None:
        raise ApiError(400, "if_match_invalid",
                       'If-Match must be the case version in quotes, e.g. "14".')
    return int(match.group(1))


VersionDep = Annotated[int, Depends(expected_version)]


async def idempotency(
    request: Request,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> IdempotencyRequest | None:
    if idempotency_key is None:
        return None
    key = idempotency_key.strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise ApiError(422, "idempotency_key_invalid",
                       say("error.api.idempotency_invalid", count=MAX_IDEMPOTENCY_KEY))
    content_type = request.headers.get("content-type", "")
    digest = hashlib.sha256()
    if content_type.startswith("multipart/"):
        digest.update(b"multipart")  # the upload route adds the file's own digest
    else:
        body = await request.body()
        try:
            canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
            digest.update(canonical.encode())
        except (ValueError, UnicodeDecodeError, RecursionError):
            digest.update(body)
    return IdempotencyRequest(key=key, method=request.method, path=request.url.path,
                              request_hash=digest.hexdigest())


IdemDep = Annotated[IdempotencyRequest | None, Depends(idempotency)]


def respond(result: ApiResult) -> Response:
    if result.status == 204:
        return Response(status_code=204, headers=result.headers)
    return JSONResponse(result.body, status_code=result.status, headers=result.headers)
