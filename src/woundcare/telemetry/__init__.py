"""OpenTelemetry traces and metrics, off by default and imported only when switched on.

Configured by the standard variables: ``OTEL_TRACES_EXPORTER`` (``otlp``, ``console`` or
``none``; several comma-separated), ``OTEL_METRICS_EXPORTER`` (same), ``OTEL_SERVICE_NAME``,
``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_EXPORTER_OTLP_ENDPOINT`` (and the ``_TRACES_``/
``_METRICS_`` variants, headers and timeouts), ``OTEL_TRACES_SAMPLER``(``_ARG``),
``OTEL_BSP_*`` and ``OTEL_SDK_DISABLED``. With none of the exporters set (the default) nothing
of OpenTelemetry is imported and every function here is a cheap no-op.

What is traced: every route (FastAPI, the span named after the route template), every workflow
step (``woundcare.step``: agent, state, event and outcome - never a value), every database
statement (SQLAlchemy; the statement text itself is dropped) and outgoing HTTP (httpx). Every
span passes :class:`~woundcare.telemetry.redaction.RedactingSpanProcessor`, which keeps only
attributes on the logs' PHI allow-list (``woundcare.logging.SAFE_KEYS``) and masks values the
way the logs do. Log lines carry the current ``trace_id`` and ``span_id``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from woundcare.telemetry.setup import Telemetry

_EXPORTERS = frozenset({"otlp", "console"})
_state: dict[str, Any] = {"telemetry": None}


def _exporters(env: Mapping[str, str], name: str) -> list[str]:
    raw = env.get(name, "")
    return [part.strip().lower() for part in raw.split(",")
            if part.strip().lower() in _EXPORTERS]


def trace_exporters(env: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if env is None else env
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return []
    return _exporters(env, "OTEL_TRACES_EXPORTER")


def metric_exporters(env: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if env is None else env
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return []
    return _exporters(env, "OTEL_METRICS_EXPORTER")


def enabled(env: Mapping[str, str] | None = None) -> bool:
    """Whether any OpenTelemetry exporter is asked for (default: no)."""
    return bool(trace_exporters(env) or metric_exporters(env))


def active() -> Telemetry | None:
    telemetry: Telemetry | None = _state["telemetry"]
    return telemetry


def configure(env: Mapping[str, str] | None = None, *, span_exporters: list[Any] | None = None,
              service_version: str = "") -> Telemetry | None:
    """Set up tracing and metrics once per process from the environment (``span_exporters``
    adds exporters, for tests). Returns None, importing nothing, when it is off."""
    if active() is not None:
        return active()
    if not enabled(env) and not span_exporters:
        return None
    from woundcare.telemetry.setup import build

    telemetry = build(os.environ if env is None else env, extra_exporters=span_exporters or [],
                      service_version=service_version)
    _state["telemetry"] = telemetry
    return telemetry


def reset() -> None:
    """Flush and shut everything down (tests; and at process exit)."""
    telemetry = active()
    _state["telemetry"] = None
    if telemetry is not None:
        telemetry.shutdown()


def instrument_app(app: Any) -> None:
    telemetry = active()
    if telemetry is not None:
        telemetry.instrument_app(app)


def instrument_engine(engine: Any) -> None:
    telemetry = active()
    if telemetry is not None:
        telemetry.instrument_engine(engine)


class _NoSpan:
    def set_attribute(self, key: str, value: Any) -> None:
        del key, value


_NO_SPAN = _NoSpan()


@contextmanager
def step_span(agent: str | None, state: str, event: str | None) -> Iterator[Any]:
    """A span around one workflow step: names only (agent, state, event), never values."""
    telemetry = active()
    if telemetry is None:
        yield _NO_SPAN
        return
    with telemetry.step_span(agent, state, event) as span:
        yield span


def record_exception(exc: BaseException) -> None:
    """Mark the current span failed with this exception (its type only reaches an exporter)."""
    if active() is None:
        return
    from opentelemetry import trace

    span = trace.get_current_span()
    span.record_exception(exc)
    span.set_status(trace.Status(trace.StatusCode.ERROR))
