"""Scheduled housekeeping inside the server process: expired idempotency records are pruned
every ``housekeeping_interval_minutes`` for every organisation (not only on a clinician's next
keyed write). A daemon thread; each run is one short transaction; failures are logged by type
and retried on the next tick."""

from __future__ import annotations

import threading
from datetime import timedelta

from woundcare.logging import get_logger
from woundcare.service.runtime import Runtime
from woundcare.storage.repositories.idempotency import prune_all_expired

log = get_logger("woundcare.housekeeping")


def prune_idempotency(runtime: Runtime) -> int:
    """Forget every idempotency record older than the TTL; the number forgotten."""
    before = runtime.clock() - timedelta(hours=runtime.settings.idempotency_ttl_hours)
    with runtime.db.unit_of_work(None) as uow:
        return prune_all_expired(uow.conn, before)


def run_once(runtime: Runtime) -> None:
    try:
        pruned = prune_idempotency(runtime)
    except Exception as exc:  # the next tick retries; never kill the server
        log.warning("housekeeping.failed", error=type(exc).__name__)
        return
    if pruned:
        log.info("housekeeping.pruned", idempotency_records=pruned)


class Housekeeper:
    """Runs :func:`run_once` now and then every interval until :meth:`stop`."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def interval_seconds(self) -> float:
        return self.runtime.settings.housekeeping_interval_minutes * 60.0

    def start(self) -> None:
        if self.interval_seconds <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="woundcare-housekeeping",
                                        daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            run_once(self.runtime)
            self._stop.wait(self.interval_seconds)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
