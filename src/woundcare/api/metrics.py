"""Prometheus text metrics: request counters and durations by route template and status only
(never a concrete path, which would carry case ids, nor anything from a body)."""

from __future__ import annotations

import threading
from collections import defaultdict

_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, int], int] = defaultdict(int)
        self._durations: dict[str, list[int]] = defaultdict(lambda: [0] * len(_BUCKETS))
        self._duration_sum: dict[str, float] = defaultdict(float)
        self._duration_count: dict[str, int] = defaultdict(int)
        self._events: dict[str, int] = defaultdict(int)

    def observe(self, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self._requests[(route, status)] += 1
            buckets = self._durations[route]
            for index, bound in enumerate(_BUCKETS):
                if seconds <= bound:
                    buckets[index] += 1
            self._duration_sum[route] += seconds
            self._duration_count[route] += 1

    def count(self, name: str) -> None:
        """A named security event (``pin_rejected``, ``pin_locked``, ``login_failed``...)."""
        with self._lock:
            self._events[name] += 1

    def render(self) -> str:
        with self._lock:
            lines = [
                "# HELP woundcare_http_requests_total HTTP requests by route template and status.",
                "# TYPE woundcare_http_requests_total counter",
            ]
            for (route, status), value in sorted(self._requests.items()):
                lines.append(f'woundcare_http_requests_total{{route="{_escape(route)}",'
                             f'status="{status}"}} {value}')
            lines += [
                "# HELP woundcare_http_request_duration_seconds Request duration by route.",
                "# TYPE woundcare_http_request_duration_seconds histogram",
            ]
            for route, buckets in sorted(self._durations.items()):
                label = _escape(route)
                for bound, value in zip(_BUCKETS, buckets, strict=True):
                    lines.append(f'woundcare_http_request_duration_seconds_bucket{{route="{label}",'
                                 f'le="{bound}"}} {value}')
                count = self._duration_count[route]
                lines.append(f'woundcare_http_request_duration_seconds_bucket{{route="{label}",'
                             f'le="+Inf"}} {count}')
                lines.append(f'woundcare_http_request_duration_seconds_sum{{route="{label}"}} '
                             f"{self._duration_sum[route]:.6f}")
                lines.append(f'woundcare_http_request_duration_seconds_count{{route="{label}"}} '
                             f"{count}")
            lines += [
                "# HELP woundcare_security_events_total Security-relevant outcomes by kind.",
                "# TYPE woundcare_security_events_total counter",
            ]
            for name, value in sorted(self._events.items()):
                lines.append(f'woundcare_security_events_total{{kind="{_escape(name)}"}} {value}')
        return "\n".join(lines) + "\n"
