"""How many requests one worker process works on at once, and in which of two thread pools.

A request's work (its database round trips, its checks, its encryption) runs in a worker
thread. With many threads per process they contend for the interpreter lock: a thread whose
database answer has arrived waits for the lock while others run, the database holds more
open transactions at once (which costs it more per transaction), and the slowest requests
wait longest. Measured with the load benchmark (32 clients, 2 worker processes, PostgreSQL on
the same 2 cores): with anyio's default of 40 threads per process, autosaves ran at 0.23x
pgbench's rate with a p99 of 279 ms and 6.9 ms of machine CPU each; with 3-4 threads, 0.30-0.33x,
110-150 ms and 5.0 ms. Requests beyond the cap wait on the event loop, in arrival order.

Slow work (OCR and speech on uploads, image measurement, PDF rendering) runs in a second,
smaller pool, so a few uploads cannot hold every thread while autosaves queue behind them;
password and PIN checks run in a third, one wider than the Argon2 memory gate admits
(``woundcare.crypto.hash_gate``), so a burst of log-ins neither holds the autosaves' threads
while waiting for the gate nor waits behind an upload's OCR. Endpoints mark themselves with
:func:`slow_work` or :func:`credential_work`.

The pools are per event loop (one per worker process; tests start several loops).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from anyio import CapacityLimiter, to_thread

Pool = Literal["interactive", "slow", "credentials"]
INTERACTIVE: Pool = "interactive"
SLOW: Pool = "slow"
CREDENTIALS: Pool = "credentials"

T = TypeVar("T")

_sizes: dict[Pool, int] = {INTERACTIVE: 3, SLOW: 2, CREDENTIALS: 1}
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Pool, CapacityLimiter]] = (
    weakref.WeakKeyDictionary())


def configure(interactive: int, slow: int, credentials: int = 1) -> None:
    """Threads per pool for loops that have not used a pool yet (``WOUNDCARE_REQUEST_THREADS``,
    ``WOUNDCARE_SLOW_REQUEST_THREADS``, and the Argon2 gate's slots for credentials)."""
    if min(interactive, slow, credentials) < 1:
        raise ValueError("each pool needs at least one thread")
    _sizes[INTERACTIVE], _sizes[SLOW], _sizes[CREDENTIALS] = interactive, slow, credentials


def sizes() -> dict[Pool, int]:
    return dict(_sizes)


def limiter(pool: Pool = INTERACTIVE) -> CapacityLimiter:
    """The running event loop's limiter for ``pool``."""
    loop = asyncio.get_running_loop()
    pools = _limiters.get(loop)
    if pools is None:
        pools = {name: CapacityLimiter(size) for name, size in _sizes.items()}
        _limiters[loop] = pools
    return pools[pool]


async def run(func: Callable[[], T], pool: Pool = INTERACTIVE) -> T:
    """``func()`` in a worker thread of ``pool``, waiting in order for a free one."""
    return await to_thread.run_sync(func, limiter=limiter(pool))


def slow_work(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Mark an endpoint whose work is slow by design (OCR, measuring, rendering): it runs in
    the slow pool. Put it under the route decorator."""
    endpoint._work_pool = SLOW  # type: ignore[attr-defined]
    return endpoint


def credential_work(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Mark an endpoint that hashes or checks a password or PIN: it runs in the credentials
    pool. Put it under the route decorator."""
    endpoint._work_pool = CREDENTIALS  # type: ignore[attr-defined]
    return endpoint


def pool_of(endpoint: Callable[..., Any]) -> Pool:
    pool: Pool = getattr(endpoint, "_work_pool", INTERACTIVE)
    return pool
