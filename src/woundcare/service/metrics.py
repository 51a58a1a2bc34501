"""Prometheus text metrics, per process (Prometheus sums the replicas): request counters and
durations by method, route template and status (never a concrete path, which would carry case
ids, nor anything from a body), security events by kind, and failed PIN attempts by clinician
id (a pseudonymous staff identifier, counted only for authenticated callers, so the label set
is bounded by the staff list; it is what the per-clinician brute-force alert needs).

Counters only grow and start at zero with the process, as ``increase()`` expects."""

from __future__ import annotations

import threading
from collections import defaultdict
from uuid import UUID

_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(**values: object) -> str:
    return ",".join(f'{name}="{_escape(str(value))}"' for name, value in values.items())


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self._durations: dict[str, list[int]] = defaultdict(lambda: [0] * len(_BUCKETS))
        self._duration_sum: dict[str, float] = defaultdict(float)
        self._duration_count: dict[str, int] = defaultdict(int)
        self._events: dict[str, int] = defaultdict(int)
        self._pin_failures: dict[UUID, int] = defaultdict(int)
        self._outbox: dict[tuple[str, str], int] = defaultdict(int)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self._requests[(method, route, status)] += 1
            buckets = self._durations[route]
            for index, bound in enumerate(_BUCKETS):
                if seconds <= bound:
                    buckets[index] += 1
            self._duration_sum[route] += seconds
            self._duration_count[route] += 1

    def count(self, kind: str) -> None:
        """A security event (``login_failed``, ``pin_locked``, ``access_denied``...)."""
        with self._lock:
            self._events[kind] += 1

    def pin_failure(self, clinician_id: UUID) -> None:
        with self._lock:
            self._pin_failures[clinician_id] += 1

    def outbox(self, kind: str, outcome: str) -> None:
        """A delivery attempt's outcome (``delivered``, ``retry``, ``dead``) by destination."""
        with self._lock:
            self._outbox[(kind, outcome)] += 1

    def render(self) -> str:
        with self._lock:
            lines = [
                "# HELP woundcare_http_requests_total HTTP requests by method, route template "
                "and status.",
                "# TYPE woundcare_http_requests_total counter",
            ]
            lines += [f"woundcare_http_requests_total{{{_labels(method=m, route=r, status=s)}}}"
                      f" {value}" for (m, r, s), value in sorted(self._requests.items())]
            lines += [
                "# HELP woundcare_http_request_duration_seconds Request duration by route.",
                "# TYPE woundcare_http_request_duration_seconds histogram",
            ]
            for route, buckets in sorted(self._durations.items()):
                for bound, value in zip(_BUCKETS, buckets, strict=True):
                    lines.append("woundcare_http_request_duration_seconds_bucket"
                                 f"{{{_labels(route=route, le=bound)}}} {value}")
                count = self._duration_count[route]
                lines += [
                    "woundcare_http_request_duration_seconds_bucket"
                    f"{{{_labels(route=route, le='+Inf')}}} {count}",
                    f"woundcare_http_request_duration_seconds_sum{{{_labels(route=route)}}} "
                    f"{self._duration_sum[route]:.6f}",
                    f"woundcare_http_request_duration_seconds_count{{{_labels(route=route)}}} "
                    f"{count}",
                ]
            lines += [
                "# HELP woundcare_security_events_total Security-relevant outcomes by kind.",
                "# TYPE woundcare_security_events_total counter",
            ]
            lines += [f"woundcare_security_events_total{{{_labels(kind=kind)}}} {value}"
                      for kind, value in sorted(self._events.items())]
            lines += [
                "# HELP woundcare_pin_failures_total Failed PIN attempts by clinician id.",
                "# TYPE woundcare_pin_failures_total counter",
            ]
            lines += [f"woundcare_pin_failures_total{{{_labels(clinician_id=clinician)}}} "
                      f"{value}" for clinician, value in sorted(self._pin_failures.items())]
            lines += [
                "# HELP woundcare_outbox_deliveries_total Delivery attempts by destination "
                "and outcome.",
                "# TYPE woundcare_outbox_deliveries_total counter",
            ]
            lines += [f"woundcare_outbox_deliveries_total{{{_labels(kind=k, outcome=o)}}} {v}"
                      for (k, o), v in sorted(self._outbox.items())]
        return "\n".join(lines) + "\n"
