"""Spans pass the same PHI allow-list as log lines before any exporter sees them.

:class:`RedactingSpanProcessor` wraps the exporting processor. When a span ends it hands on a
copy that keeps an attribute only if its key maps to a key on ``woundcare.logging.SAFE_KEYS``
(:data:`SPAN_KEYS`), with values masked by the logs' own redactor. Dropped on the way: SQL
statements (they may carry literals), URLs, targets and query strings (paths may carry
anything a client typed), client addresses, user agents, header values, exception messages
and stack traces (an exception event keeps its type only) and the status description (it
quotes the exception). A span name that is not a method, a known route template or a plain
word is reduced to its method.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from opentelemetry.context import Context
from opentelemetry.sdk.trace import Event, ReadableSpan, Span, SpanProcessor
from opentelemetry.trace import Link, Status

from woundcare.logging import SAFE_KEYS, redact_text, redact_value

# OpenTelemetry attribute -> the log key whose allow-listing it shares.
SPAN_KEYS: Final[dict[str, str]] = {
    "http.route": "route",
    "http.request.method": "method",
    "http.method": "method",
    "http.response.status_code": "status",
    "http.status_code": "status",
    "woundcare.agent": "agent",
    "woundcare.state": "state",
    "woundcare.event": "workflow_event",
    "woundcare.outcome": "outcome",
    "woundcare.request_id": "request_id",
    "db.system": "database",
    "db.system.name": "database",
    "db.name": "database",
    "db.namespace": "database",
    "db.operation": "action",
    "db.operation.name": "action",
    "server.port": "port",
    "net.peer.port": "port",
    "net.host.port": "port",
    "server.address": "host",
    "net.peer.name": "host",
    "net.host.name": "host",
    "error.type": "error_type",
    "exception.type": "error_type",
    "network.protocol.version": "version",
    "http.flavor": "version",
}
_missing = set(SPAN_KEYS.values()) - SAFE_KEYS
if _missing:  # the mapping may only point at keys the logs allow
    raise RuntimeError(f"span keys map to log keys not on the allow-list: {sorted(_missing)}")

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT",
                      "TRACE", "HTTP"})
_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]{0,63}$")
_SQL_WORDS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "BEGIN", "COMMIT", "ROLLBACK",
                        "WITH", "CREATE", "DROP", "ALTER", "TRUNCATE", "SET", "PRAGMA", "SHOW",
                        "SAVEPOINT", "RELEASE", "LOCK", "connect", "http", "send", "receive"})


class RouteNames:
    """Route templates the application declares (a span name may carry these)."""

    def __init__(self) -> None:
        self.templates: set[str] = set()

    def add(self, paths: Sequence[str]) -> None:
        self.templates.update(p for p in paths if p.startswith("/"))


def safe_attributes(attributes: Any) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, value in dict(attributes or {}).items():
        if key in SPAN_KEYS:
            cleaned = redact_value(value)
            kept[key] = tuple(str(v) for v in cleaned) if isinstance(cleaned, list) else cleaned
    return kept


def safe_name(name: str, routes: RouteNames, route: object = None) -> str:
    """``name`` if every word is a method, an SQL verb, a route template (the app's, or the
    span's own ``http.route``, which the router sets from its template) or a plain word."""
    parts = name.split()
    if parts and all(part == route or _token_ok(part, routes) for part in parts):
        return name
    return parts[0] if parts and (parts[0] in _METHODS or parts[0] in _SQL_WORDS) else "span"


def _token_ok(token: str, routes: RouteNames) -> bool:
    if token in _METHODS or token in _SQL_WORDS or token in routes.templates:
        return True
    return bool(_WORD.match(token)) and redact_text(token) == token and "@" not in token


def _safe_event(event: Any, routes: RouteNames) -> Event:
    if event.name == "exception":
        attributes = {k: v for k, v in safe_attributes(event.attributes).items()
                      if k == "exception.type"}
        return Event("exception", attributes, event.timestamp)
    return Event(safe_name(event.name, routes), safe_attributes(event.attributes),
                 event.timestamp)


def redacted_copy(span: ReadableSpan, routes: RouteNames) -> ReadableSpan:
    status = span.status
    return ReadableSpan(
        name=safe_name(span.name, routes, (span.attributes or {}).get("http.route")),
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=safe_attributes(span.attributes),
        events=[_safe_event(e, routes) for e in span.events],
        links=[Link(link.context) for link in span.links],
        kind=span.kind,
        status=Status(status.status_code),
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class RedactingSpanProcessor(SpanProcessor):
    """Wraps an exporting processor; the exporter only ever sees the redacted copy."""

    def __init__(self, inner: SpanProcessor, routes: RouteNames | None = None) -> None:
        self.inner = inner
        self.routes = routes or RouteNames()

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        self.inner.on_start(span, parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        self.inner.on_end(redacted_copy(span, self.routes))

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)
