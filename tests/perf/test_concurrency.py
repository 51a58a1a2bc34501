"""The two thread pools a worker process runs requests in (woundcare.api.concurrency): at most
``request_threads`` interactive requests and ``slow_request_threads`` slow ones at once, the
rest waiting in arrival order; slow endpoints are marked and run in the slow pool."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import anyio
import pytest
from fastapi.routing import APIRoute

from tests.api.conftest import World
from woundcare.api import concurrency
from woundcare.api.app import ROUTERS, create_app


@pytest.fixture
def sizes() -> Iterator[None]:
    before = concurrency.sizes()
    yield
    concurrency.configure(before["interactive"], before["slow"], before["credentials"])


def _peak(pool: concurrency.Pool, calls: int) -> tuple[int, list[int]]:
    """Run ``calls`` blocking calls in ``pool`` at once; the most seen running together and
    the order they started in."""
    lock, running, peak, started = threading.Lock(), [0], [0], []

    def work(index: int) -> None:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            started.append(index)
        time.sleep(0.02)
        with lock:
            running[0] -= 1

    async def main() -> None:
        async with anyio.create_task_group() as group:
            for index in range(calls):
                group.start_soon(concurrency.run, lambda i=index: work(i), pool)
                await anyio.sleep(0.001)  # arrival order

    anyio.run(main)
    return peak[0], started


def test_each_pool_runs_at_most_its_size_at_once_in_arrival_order(sizes: None) -> None:
    concurrency.configure(3, 1)
    peak, started = _peak(concurrency.INTERACTIVE, 12)
    assert peak == 3
    # first come, first served: a call starts at most a pool's width from its arrival place
    # (calls let go together may start their threads in either order)
    assert sorted(started) == list(range(12))
    assert all(abs(place - index) < 3 for place, index in enumerate(started)), started
    assert _peak(concurrency.SLOW, 4)[0] == 1


def test_pools_are_separate_so_slow_work_cannot_take_every_thread(sizes: None) -> None:
    concurrency.configure(2, 1)
    order: list[str] = []

    async def main() -> None:
        async with anyio.create_task_group() as group:
            for _ in range(3):  # three slow requests queue behind one slow thread ...
                group.start_soon(concurrency.run, lambda: (time.sleep(0.2), order.append("s")),
                                 concurrency.SLOW)
            await anyio.sleep(0.01)
            # ... while an interactive one is served at once
            await concurrency.run(lambda: order.append("i"))

    anyio.run(main)
    assert order[0] == "i"
    assert order.count("s") == 3


def test_a_pool_needs_a_thread() -> None:
    with pytest.raises(ValueError, match="at least one thread"):
        concurrency.configure(0, 1)
    with pytest.raises(ValueError, match="at least one thread"):
        concurrency.configure(1, 1, credentials=0)


def _endpoints() -> dict[str, object]:
    found = {}
    for router in ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute):
                found[route.endpoint.__name__] = getattr(route.endpoint, "__wrapped__",
                                                         route.endpoint)
    return found


def test_ocr_measuring_and_rendering_run_in_the_slow_pool_and_credential_checks_apart() -> None:
    endpoints = _endpoints()

    def in_pool(pool: concurrency.Pool) -> set[str]:
        return {name for name, endpoint in endpoints.items()
                if concurrency.pool_of(endpoint) == pool}  # type: ignore[arg-type]

    assert {"report_pdf", "fhir_bundle", "measure", "preview", "rectified", "parse_document",
            "marker_pdf", "export"} <= in_pool(concurrency.SLOW)
    assert {"login", "token", "change_password", "set_pin", "sign",
            "invite_clinician"} <= in_pool(concurrency.CREDENTIALS)
    assert {"bio", "snapshot", "vitals", "list_cases"} <= in_pool(concurrency.INTERACTIVE)


def test_the_credentials_pool_is_one_wider_than_the_argon2_gate(sizes: None,
                                                                 world: World) -> None:
    create_app(world.runtime)
    assert concurrency.sizes()["credentials"] == world.runtime.passwords.gate.slots + 1
    assert concurrency.sizes()["interactive"] == world.runtime.settings.request_threads
    assert concurrency.sizes()["slow"] == world.runtime.settings.slow_request_threads
