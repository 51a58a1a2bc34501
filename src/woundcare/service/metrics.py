"""Prometheus metrics with prometheus-client, one registry per :class:`Metrics` (so tests can
build many runtimes in one process), served on their own listener (``WOUNDCARE_METRICS_PORT``,
never the public API port).

Labels carry only bounded, non-identifying values: route templates (never a concrete path,
which would carry case ids), methods, statuses, agents, outcomes and event kinds. No clinician
id, case id, e-mail or client address is ever a label value; :func:`safe_label` replaces
anything that looks like one by ``other``.

Several worker processes (``uvicorn --workers``): set ``PROMETHEUS_MULTIPROC_DIR`` to an empty
directory before the process starts (``woundcare serve --workers N`` does it for you); each
worker writes its values there and the listener, started once in the supervising process,
adds them up (:func:`exposition_registry`). Process metrics (``process_*``) then describe the
supervisor only; see docs/slo.md.

The hook API used across the service: ``observe`` (a request), ``count`` (a security or
operational event by kind), ``pin_failure``, ``step`` (a workflow step), ``autosave``,
``set_gauge``/``inc`` (generic, for ``woundcare_*`` series such as the outbox's).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, Literal
from uuid import UUID

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

# No ``*_created`` series: half the series for nothing the dashboards or alerts read.
disable_created_metrics()  # type: ignore[no-untyped-call]

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

# Request and step latencies: the SLO's p99 threshold (docs/slo.md) is one of the bounds, so
# histogram_quantile is exact there.
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)
STEP_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

# Event kinds passed to ``count``; each also goes to ``woundcare_security_events_total``.
LOGIN_KINDS = {"login_failed": "bad_credentials", "login_rate_limited": "rate_limited",
               "password_check_failed": "password_check", "pin_set_password_failed":
               "password_check"}
BREAK_GLASS_KINDS = frozenset({"break_glass", "break_glass_access", "break_glass_granted"})

_KIND = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
_NAME = re.compile(r"^woundcare_[a-z][a-z0-9_]{0,80}$")
_UUIDISH = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}")
_IDENTIFYING = re.compile(r"@|\d{4,}|[0-9a-f]{12,}", re.IGNORECASE)
# Label names a generic series may use (``set_gauge``/``inc``): kinds of things, not things.
ALLOWED_LABELS = frozenset({"kind", "outcome", "state", "agent", "destination", "reason",
                            "status", "topic", "queue", "version", "route", "method"})
GaugeMode = Literal["all", "liveall", "min", "livemin", "max", "livemax", "sum", "livesum",
                    "mostrecent", "livemostrecent"]


def multiprocess_dir() -> str | None:
    value = os.environ.get(MULTIPROC_ENV, "").strip()
    return value or None


def safe_label(value: object, *, limit: int = 64) -> str:
    """A label value that cannot identify anyone: ids, e-mail addresses, long digit runs and
    long hex strings become ``other``."""
    text = str(value)
    if not text or len(text) > limit or _UUIDISH.search(text) or _IDENTIFYING.search(text):
        return "other"
    return text


class Metrics:
    """The process's metrics. Cheap to build; every instance owns its registry."""

    def __init__(self, *, process_metrics: bool = True) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._lock = threading.Lock()
        self._generic: dict[str, Any] = {}
        r = self.registry
        self.requests = Counter(
            "woundcare_http_requests", "HTTP requests by method, route template and status.",
            ["method", "route", "status"], registry=r)
        self.request_duration = Histogram(
            "woundcare_http_request_duration_seconds",
            "HTTP request duration by method and route template.",
            ["method", "route"], buckets=HTTP_BUCKETS, registry=r)
        self.in_flight = Gauge(
            "woundcare_http_requests_in_flight", "Requests being served.",
            multiprocess_mode="livesum", registry=r)
        self.security_events = Counter(
            "woundcare_security_events", "Security-relevant outcomes by kind.", ["kind"],
            registry=r)
        self.login_failures = Counter(
            "woundcare_login_failures", "Refused log-ins (and password re-checks) by reason.",
            ["reason"], registry=r)
        self.pin_failures = Counter(
            "woundcare_pin_failures", "Refused PIN checks (wrong PIN or locked out).",
            registry=r)
        self.break_glass = Counter(
            "woundcare_break_glass_access", "Break-glass accesses (an admin reading a case "
            "outside the normal delegation path).", registry=r)
        self.step_duration = Histogram(
            "woundcare_step_duration_seconds",
            "Workflow step duration (agent run, provenance, autosave) by agent and outcome.",
            ["agent", "outcome"], buckets=STEP_BUCKETS, registry=r)
        self.autosaves = Counter(
            "woundcare_autosave", "Case writes (autosaves) by outcome: saved, conflict "
            "(stale version, 409), refused (4xx) or error (5xx).", ["outcome"], registry=r)
        self.autosave_conflicts = Counter(
            "woundcare_autosave_conflicts", "Autosaves refused for a stale version (409).",
            registry=r)
        self.outbox_deliveries = Counter(
            "woundcare_outbox_deliveries", "Outbox delivery attempts by kind and outcome "
            "(delivered, retry, dead, done).", ["kind", "outcome"], registry=r)
        self.outbox_backlog = Gauge(
            "woundcare_outbox_backlog", "Outbox messages waiting to be delivered.",
            multiprocess_mode="max", registry=r)
        self.outbox_dead_letters = Gauge(
            "woundcare_outbox_dead_letters", "Outbox messages given up on (dead letters).",
            multiprocess_mode="max", registry=r)
        self.pool_size = Gauge(
            "woundcare_db_pool_size", "Database connections the pool may hold "
            "(pool size plus overflow).", multiprocess_mode="livesum", registry=r)
        self.pool_in_use = Gauge(
            "woundcare_db_pool_connections_in_use", "Database connections checked out.",
            multiprocess_mode="livesum", registry=r)
        self.pool_checkouts = Counter(
            "woundcare_db_pool_checkouts", "Database connections checked out of the pool.",
            registry=r)
        self.key_activated = Gauge(
            "woundcare_key_activated_timestamp_seconds", "When the active key-encryption key "
            "was put into service (WOUNDCARE_KEY_ACTIVATED_ON, midnight UTC); the drift alert "
            "compares time() minus this with the rotation period.", multiprocess_mode="max",
            registry=r)
        self.key_period = Gauge(
            "woundcare_key_rotation_period_days", "The key rotation period "
            "(WOUNDCARE_KEY_ROTATION_DAYS).", multiprocess_mode="max", registry=r)
        self.key_legacy = Gauge(
            "woundcare_key_legacy_versions", "Legacy key-encryption key versions still "
            "configured (a rotation not yet finished and retired).", multiprocess_mode="max",
            registry=r)
        self.build = Info("woundcare_build", "The running version.", registry=r)
        if process_metrics and multiprocess_dir() is None:
            from prometheus_client import GC_COLLECTOR, PLATFORM_COLLECTOR, PROCESS_COLLECTOR

            for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
                r.register(collector)

    # ------------------------------------------------------------------ hooks

    def started(self) -> None:
        self.in_flight.inc()

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.in_flight.dec()
        route = route if route.startswith("/") or route == "unmatched" else "unmatched"
        self.requests.labels(method, route, str(status)).inc()
        self.request_duration.labels(method, route).observe(seconds)

    def count(self, kind: str, amount: float = 1) -> None:
        """An event by kind (``login_failed``, ``pin_locked``, ``access_denied``,
        ``break_glass``, ``outbox_dead_letter``...): always on the security-events counter,
        and on its dedicated counter where it has one."""
        kind = kind if _KIND.match(kind) else "other"
        self.security_events.labels(kind).inc(amount)
        if kind in LOGIN_KINDS:
            self.login_failures.labels(LOGIN_KINDS[kind]).inc(amount)
        elif kind in BREAK_GLASS_KINDS:
            self.break_glass.inc(amount)
        elif kind == "autosave_conflict":
            self.autosave_conflicts.inc(amount)

    def pin_failure(self, clinician_id: UUID | None = None) -> None:
        """A refused PIN check. The clinician is deliberately not a label (issue 8): the
        per-clinician lockout lives in the database, the metric only counts."""
        del clinician_id
        self.pin_failures.inc()

    def break_glass_access(self) -> None:
        self.count("break_glass")

    def step(self, agent: str | None, outcome: str, seconds: float) -> None:
        self.step_duration.labels(safe_label(agent or "transition"),
                                  safe_label(outcome)).observe(seconds)

    def autosave(self, outcome: str) -> None:
        self.autosaves.labels(safe_label(outcome)).inc()
        if outcome == "conflict":
            self.autosave_conflicts.inc()

    def outbox(self, kind: str | None = None, outcome: str | None = None, *,
               backlog: int | None = None, dead_letters: int | None = None) -> None:
        """A delivery attempt (``outbox(kind, outcome)``), and/or the outbox's state
        (``backlog=``: entries waiting or in progress, ``dead_letters=``)."""
        if kind is not None and outcome is not None:
            self.outbox_deliveries.labels(safe_label(kind), safe_label(outcome)).inc()
        if backlog is not None:
            self.outbox_backlog.set(backlog)
        if dead_letters is not None:
            self.outbox_dead_letters.set(dead_letters)

    def outbox_counts(self, counts: dict[tuple[str, str], int]) -> None:
        """The state from the outbox's ``(kind, status) -> entries`` counts."""
        self.outbox(backlog=sum(n for (_, status), n in counts.items()
                                if status in ("pending", "in_progress")),
                    dead_letters=sum(n for (_, status), n in counts.items()
                                     if status == "dead"))

    def set_gauge(self, name: str, value: float, help_text: str = "", **labels: str) -> None:
        """Set any ``woundcare_*`` gauge (created on first use; labels from
        :data:`ALLOWED_LABELS`, values made safe)."""
        fixed = {"woundcare_outbox_backlog": self.outbox_backlog,
                 "woundcare_outbox_dead_letters": self.outbox_dead_letters}
        if name in fixed and not labels:
            fixed[name].set(value)
            return
        self._series(name, "gauge", help_text, labels).set(value)

    def inc(self, name: str, amount: float = 1, help_text: str = "", **labels: str) -> None:
        """Increment any ``woundcare_*_total`` counter (created on first use)."""
        base = name[:-len("_total")] if name.endswith("_total") else name
        self._series(base, "counter", help_text, labels).inc(amount)

    def _series(self, name: str, kind: str, help_text: str, labels: dict[str, str]) -> Any:
        if not _NAME.match(name):
            raise ValueError(f"metric names start with woundcare_: {name!r}")
        bad = set(labels) - ALLOWED_LABELS
        if bad:
            raise ValueError(f"label(s) {sorted(bad)} may identify something; use kinds")
        names = tuple(sorted(labels))
        with self._lock:
            metric = self._generic.get(name)
            if metric is None:
                text = help_text or name.replace("_", " ")
                metric = (Gauge(name, text, names, multiprocess_mode="max",
                                registry=self.registry) if kind == "gauge"
                          else Counter(name, text, names, registry=self.registry))
                self._generic[name] = (metric, names)
            else:
                metric, expected = metric
                if expected != names:
                    raise ValueError(f"{name} takes labels {expected}")
        values = [safe_label(labels[n]) for n in names]
        return metric.labels(*values) if values else metric

    def events(self) -> dict[str, int]:
        """This process's ``count`` totals by kind (for tests and the CLI)."""
        totals: dict[str, int] = {}
        for metric in self.security_events.collect():
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    totals[sample.labels["kind"]] = int(sample.value)
        return totals

    @property
    def _events(self) -> dict[str, int]:  # the hand-written renderer's name, kept for callers
        return self.events()

    # ------------------------------------------------------------------ bindings

    def bind_database(self, engine: Any) -> None:
        """Pool use from the engine's own events (works per worker process)."""
        from sqlalchemy import event

        pool = engine.pool
        size = getattr(pool, "size", None)
        overflow = getattr(pool, "_max_overflow", 0)
        if callable(size):
            self.pool_size.set(int(size()) + max(int(overflow), 0))

        def checkout(*_: Any) -> None:
            self.pool_in_use.inc()
            self.pool_checkouts.inc()

        def checkin(*_: Any) -> None:
            self.pool_in_use.dec()

        event.listen(engine, "checkout", checkout)
        event.listen(engine, "checkin", checkin)

    def bind_keys(self, *, legacy_versions: Iterable[str], rotation_days: int,
                  activated_on: date | None) -> None:
        self.key_legacy.set(len(list(legacy_versions)))
        self.key_period.set(rotation_days)
        if activated_on is not None:
            midnight = datetime(activated_on.year, activated_on.month, activated_on.day,
                                tzinfo=UTC)
            self.key_activated.set(midnight.timestamp())

    def set_build(self, version: str) -> None:
        self.build.info({"version": safe_label(version)})

    # ------------------------------------------------------------------ exposition

    def render(self) -> str:
        return generate_latest(exposition_registry(self)).decode("utf-8")


class StepTimer:
    """Times one autosaved step; ``outcome`` stays ``error`` unless the caller sets it."""

    def __init__(self, metrics: Metrics, agent: str | None) -> None:
        self.metrics = metrics
        self.agent = agent
        self.outcome = "error"
        self.started = time.perf_counter()

    def done(self) -> None:
        self.metrics.step(self.agent, self.outcome, time.perf_counter() - self.started)
        self.metrics.autosave(self.outcome)


def exposition_registry(metrics: Metrics | None) -> CollectorRegistry:
    """What the listener serves: this process's registry, or in multiprocess mode every
    worker's values added up from ``PROMETHEUS_MULTIPROC_DIR``."""
    directory = multiprocess_dir()
    if directory is None:
        if metrics is None:
            raise ValueError("no metrics to serve")
        return metrics.registry
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    return registry


class MetricsServer:
    """The separate metrics listener (prometheus-client's own HTTP server, on a thread)."""

    def __init__(self, registry: CollectorRegistry, host: str, port: int) -> None:
        from prometheus_client import start_http_server

        self.server, self.thread = start_http_server(port, addr=host, registry=registry)
        self.port = int(self.server.server_address[1])
        self.host = host

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def start_metrics_server(metrics: Metrics | None, host: str, port: int) -> MetricsServer:
    return MetricsServer(exposition_registry(metrics), host, port)
