"""ASGI middleware: request ids, access log and metrics, security headers, a last-resort error
handler that never leaks, body media types and size limits, and the per-client rate limit.

Plain ASGI (not ``BaseHTTPMiddleware``) so streaming bodies and context variables behave.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from woundcare import telemetry
from woundcare.api import concurrency
from woundcare.api.errors import internal_error_response, problem_response
from woundcare.api.json_guard import check_json_body, check_query
from woundcare.logging import bind_request, clear_request, get_logger
from woundcare.service.errors import ApiError, too_many
from woundcare.service.metrics import Metrics
from woundcare.storage.database import request_scope

log = get_logger("woundcare.http")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_UPLOAD_PATH = re.compile(r"^/api/session/[^/]+/artifacts/?$")
# Upload bodies carry multipart framing and small form fields on top of the file.
MULTIPART_OVERHEAD = 64 * 1024

# The console's strict policy (no inline script, no eval, nothing from elsewhere) lives beside
# the console it was tested with.
CONTENT_SECURITY_POLICY = (
    resources.files("woundcare.console").joinpath("csp.txt").read_text(encoding="utf-8").strip()
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(self), geolocation=()",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
}


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(scope: Scope) -> str:
    """The request method, or ``OTHER``: clients choose method tokens, labels must be few."""
    method = str(scope.get("method", ""))
    return method if method in _METHODS else "OTHER"


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    if scope.get("woundcare.static"):
        return "/static"
    return "unmatched"


class RequestContextMiddleware:
    """Outermost layer: request id, security headers, access log, metrics, and a generic
    500 for anything unexpected (the exception is logged by type and location only)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        clear_request()
        bind_request(request_id=request_id)
        scope["woundcare.request_id"] = request_id
        started = time.perf_counter()
        self.metrics.started()
        state: dict[str, Any] = {"status": 500, "started": False}
        is_api = scope.get("path", "").startswith("/api/")

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["started"] = True
                state["status"] = message["status"]
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if is_api:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        try:
            with request_scope() as carried:  # authentication's transaction -> the work
                try:
                    await self.app(scope, receive, send_wrapper)
                finally:
                    if carried.pending:  # authenticated, then no database work: commit
                        await concurrency.run(carried.release)
        except Exception as exc:
            log.error("http.unhandled", exc_info=exc, route=route_template(scope))
            telemetry.record_exception(exc)
            if not state["started"]:
                await internal_error_response()(scope, receive, send_wrapper)
        finally:
            route = route_template(scope)
            elapsed = time.perf_counter() - started
            self.metrics.observe(method_label(scope), route, int(state["status"]), elapsed)
            log.info("http.request", method=method_label(scope), route=route,
                     status=state["status"], duration_ms=round(elapsed * 1000, 1))
            clear_request()


class BodyTooLarge(StarletteHTTPException):
    def __init__(self) -> None:
        super().__init__(413)


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class RequestBodyMiddleware:
    """Bodies of writes: ``415`` unless JSON (uploads: multipart), and ``413`` over the limit
    - at once from ``Content-Length``, otherwise as soon as the streamed body passes it
    (nothing beyond the limit is buffered)."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload + MULTIPART_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query_error = check_query(scope.get("query_string", b""))
        if query_error is not None:
            await problem_response(query_error)(scope, receive, send)
            return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        upload = bool(_UPLOAD_PATH.match(scope.get("path", "")))
        refusal = self._refusal(headers, upload)
        if refusal is not None:
            await problem_response(refusal)(scope, receive, send)
            return
        limit = self.max_upload if upload else self.max_body
        if not upload and _is_json(headers.get("content-type", "")):
            await self._json(scope, receive, send, limit)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        await self.app(scope, limited_receive, send)

    async def _json(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Read the (bounded) JSON body, check its depth and text, then hand it on."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await problem_response(ApiError(413, "payload_too_large",
                                                "The request body is too large."))(
                    scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        error = check_json_body(body)
        if error is not None:
            await problem_response(error)(scope, receive, send)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _refusal(self, headers: Headers, upload: bool) -> ApiError | None:
        declared = headers.get("content-length")
        has_body = "transfer-encoding" in headers or (declared not in (None, "0"))
        content_type = headers.get("content-type", "")
        limit = self.max_upload if upload else self.max_body
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return ApiError(413, "payload_too_large", "The request body is too large.")
        if upload and not content_type.lower().startswith("multipart/form-data"):
            return ApiError(415, "unsupported_media_type",
                            "Send the file as multipart/form-data.")
        if not upload and has_body and not _is_json(content_type):
            return ApiError(415, "unsupported_media_type",
                            "Send the request body as JSON (Content-Type: application/json).")
        return None




class RateLimitMiddleware:
    """The per-client limit (``rate_limit_per_minute``) on every API request; counters live in
    Redis so all replicas share them (in the process on the embedded default), never in the
    database. ``check`` (awaited on the event loop) returns seconds to wait, or None."""

    def __init__(self, app: ASGIApp, check: Callable[[str], Awaitable[int | None]]) -> None:
        self.app = app
        self.check = check

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith("/api/"):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = client[0] if client else "unknown"
        retry_after = await self.check(address)
        if retry_after is not None:
            await problem_response(too_many(retry_after))(scope, receive, send)
            return
        await self.app(scope, receive, send)
