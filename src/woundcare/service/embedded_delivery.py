"""The delivery worker inside ``woundcare serve`` on the embedded default (SQLite, one
process): PDF reports, deliveries and due crypto-shredding happen without a second command, so
``./scripts/run.sh`` alone gives a clinician the report they asked for.

On PostgreSQL the worker stays its own process (``woundcare export worker``, under
procrastinate, on the operator's database role): the application role may not read other
organisations' outboxes, and replicas must not each run one. A daemon thread; each round is
the worker's own short transactions; a failed round is logged by type and retried."""

from __future__ import annotations

import threading
from functools import cached_property
from typing import TYPE_CHECKING

from woundcare.logging import get_logger
from woundcare.service.runtime import Runtime

if TYPE_CHECKING:
    from woundcare.service.delivery import DeliveryWorker

log = get_logger("woundcare.delivery")


class EmbeddedDelivery:
    """Runs the delivery worker until idle, then again every ``outbox_poll_seconds``."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="woundcare-delivery",
                                        daemon=True)
        self._thread.start()

    @cached_property
    def worker(self) -> DeliveryWorker:
        from woundcare.service.delivery import DeliveryWorker

        return DeliveryWorker(self.runtime)

    def run_round(self) -> int:
        """One round: due shredding, then every due delivery. How many entries were run."""
        from woundcare.service.shredding import run_due

        run_due(self.runtime)
        return len(self.worker.run_until_idle())

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_round()
            except Exception as exc:  # the next round retries; never kill the server
                log.warning("delivery.round_failed", error=type(exc).__name__)
            self._stop.wait(max(0.2, self.runtime.settings.outbox_poll_seconds))

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
