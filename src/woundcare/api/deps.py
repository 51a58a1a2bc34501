"""Request dependencies: the services, the authenticated caller (cookie or bearer), CSRF on
cookie-authenticated writes, ``If-Match`` and ``Idempotency-Key``."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic_core import to_json

from woundcare.api import concurrency
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


_PENDING = "woundcare.pending_auth"


class PendingAuth:
    """A request's credentials, checked for form on the event loop; the session behind them
    is looked up (:meth:`resolve`) in the endpoint's own worker thread, so a request takes one
    thread hop, not two. Anything refused before the endpoint runs (a malformed body, a
    missing ``If-Match``) is answered only after the credentials were checked, so a request
    without a valid session learns nothing but 401 (see :func:`auth_refusal`). The outcome is
    kept: resolving again answers the same without a second lookup."""

    __slots__ = ("_address", "_csrf", "_method", "_outcome", "_request_id", "_services",
                 "_token", "_via_cookie")

    def __init__(self, services: Services, token: str, via_cookie: bool, request: Request
                 ) -> None:
        self._services, self._token, self._via_cookie = services, token, via_cookie
        self._address, self._request_id = client_address(request), request_id(request)
        self._method = request.method
        self._csrf = request.headers.get(CSRF_HEADER) if via_cookie else None
        self._outcome: Authenticated | Exception | None = None

    @property
    def resolved(self) -> bool:
        return self._outcome is not None

    def resolve(self) -> Authenticated:
        """The session behind the credentials (blocking: call it in a worker thread). The
        lookup's transaction is continued by the request's first unit of work (PostgreSQL);
        on a refusal it is rolled back, and if no work takes it the request middleware
        commits it (it may hold the idle-expiry touch)."""
        if self._outcome is None:
            try:
                self._outcome = self._authenticate()
            except Exception as exc:  # refused, or the database busy: the same every time
                self._outcome = exc
        if isinstance(self._outcome, Exception):
            raise self._outcome
        return self._outcome

    def _authenticate(self) -> Authenticated:
        services = self._services
        auth = services.auth.authenticate(self._token, self._address, self._request_id,
                                          self._via_cookie)
        if self._via_cookie and self._method not in SAFE_METHODS and not services.auth.csrf_ok(
            auth, self._csrf
        ):
            services.runtime.db.release_carried(commit=False)
            raise forbidden("The CSRF token is missing or wrong; reload the page and try again.",
                            "csrf_failed")
        return auth


class PendingCaller:
    """:class:`PendingAuth` for an endpoint that takes the :class:`Caller`."""

    __slots__ = ("auth",)

    def __init__(self, auth: PendingAuth) -> None:
        self.auth = auth

    def resolve(self) -> Caller:
        return self.auth.resolve().caller


def _pending(request: Request) -> PendingAuth:
    """The request's credentials: a bearer token (no CSRF token needed) or the session cookie
    (then every write must send ``X-CSRF-Token``). Refuses a missing or malformed credential
    at once; the session lookup itself runs in the endpoint's thread (:class:`PendingAuth`)."""
    pending = request.scope.get(_PENDING)
    if isinstance(pending, PendingAuth):
        return pending
    services: Services = request.app.state.services
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
    pending = PendingAuth(services, token, via_cookie, request)
    request.scope[_PENDING] = pending
    return pending


# Both take the request alone (no sub-dependencies: FastAPI solves fewer per request) and
# hand the route a pending lookup, which the route's endpoint wrapper resolves in the
# endpoint's worker thread (woundcare.api.routing.one_thread).
async def authenticated(request: Request) -> Authenticated:
    """The session behind the request (see :func:`_pending`)."""
    return _pending(request)  # type: ignore[return-value]  # resolved in the endpoint


AuthDep = Annotated[Authenticated, Depends(authenticated)]


async def caller(request: Request) -> Caller:
    """The authenticated caller (see :func:`_pending`)."""
    return PendingCaller(_pending(request))  # type: ignore[return-value]  # as above


CallerDep = Annotated[Caller, Depends(caller)]


def resolve_pending(values: dict[str, Any]) -> dict[str, Any]:
    """The endpoint's arguments with the pending credentials looked up (blocking)."""
    for name, value in values.items():
        if isinstance(value, (PendingAuth, PendingCaller)):
            values[name] = value.resolve()
    return values


async def auth_refusal(request: Request) -> Exception | None:
    """For a request refused before its endpoint ran: why its credentials fail (a refusal,
    or e.g. the database being busy), if the route needs them, looked up now in a worker
    thread; None when they are good or not needed. Credentials come first: a request without
    a valid session gets 401, never validation details."""
    pending = request.scope.get(_PENDING)
    if not isinstance(pending, PendingAuth):
        return None
    if pending.resolved:  # the endpoint ran: no lookup, no thread
        return _failure(pending)
    return await concurrency.run(lambda: _failure(pending))


def _failure(pending: PendingAuth) -> Exception | None:
    try:
        pending.resolve()
    except Exception as exc:  # handed to the error handlers
        return exc
    return None


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


class CompactJSONResponse(JSONResponse):
    """JSON rendered by pydantic-core (in Rust) instead of the standard library's encoder:
    the same compact UTF-8 text for the plain values our results hold, about a quarter of the
    time (a snapshot is several kilobytes on every read and write). Not-a-number, which no
    result may hold, is written as ``null`` rather than refused."""

    def render(self, content: Any) -> bytes:
        return to_json(content)


def respond(result: ApiResult) -> Response:
    if result.status == 204:
        return Response(status_code=204, headers=result.headers)
    return CompactJSONResponse(result.body, status_code=result.status, headers=result.headers)
