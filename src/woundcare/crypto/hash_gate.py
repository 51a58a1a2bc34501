"""A bound on concurrent Argon2 work, sized from its memory cost.

Each Argon2id hash or verification holds ``memory_cost`` KiB for its duration (64 MiB with the
production parameters). Without a bound a burst of log-ins multiplies that by the size of the
thread pool (the finding: 125 MB -> 1.9 GB). The gate admits ``budget // memory_cost`` checks
at a time (at least one); the rest wait up to ``wait_seconds`` for a slot and are then refused
with :class:`HashingBusy` (the API answers ``503`` with ``Retry-After``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from woundcare.crypto.errors import HashingBusy


def slots_for(memory_budget_mib: int, memory_cost_kib: int) -> int:
    """How many hashes of ``memory_cost_kib`` fit in ``memory_budget_mib`` (at least one)."""
    per_hash_mib = max(memory_cost_kib / 1024, 1 / 1024)
    return max(1, int(memory_budget_mib // per_hash_mib))


class HashGate:
    def __init__(self, slots: int, wait_seconds: float = 10.0) -> None:
        if slots < 1:
            raise ValueError("a hash gate needs at least one slot")
        self.slots = slots
        self.wait_seconds = wait_seconds
        self._semaphore = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self._busy = 0
        self.peak = 0  # the most slots ever held at once (for tests and benchmarks)

    @contextmanager
    def slot(self) -> Iterator[None]:
        if not self._semaphore.acquire(timeout=self.wait_seconds):
            raise HashingBusy(retry_after=max(1, round(self.wait_seconds)))
        with self._lock:
            self._busy += 1
            self.peak = max(self.peak, self._busy)
        try:
            yield
        finally:
            with self._lock:
                self._busy -= 1
            self._semaphore.release()


UNBOUNDED = HashGate(1 << 20)
