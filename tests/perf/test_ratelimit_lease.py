"""Leased counting of the per-client API limit in Redis (``LeasedCounter``): a busy client's
requests cost far fewer increments, never more than the limit pass (two replicas included),
quiet traffic is counted exactly as before, near the limit leases shrink to single
increments, tokens die with their window, and without Redis each process still limits."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.processes import redis_server
from woundcare.config import Settings
from woundcare.service.ratelimit import LimitBackend, _item
from woundcare.service.ratelimit_lease import MAX_LEASE, ROOM_FRACTION


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


def _backend(redis_url: str, prefix: str) -> LimitBackend:
    return LimitBackend(Settings.model_validate(
        {"profile": "dev", "redis_url": redis_url, "redis_key_prefix": prefix}))


def _prefix() -> str:
    return f"lease-{uuid.uuid4().hex[:8]}"


def _record_increments(backend: LimitBackend) -> list[tuple[int, int]]:
    """Every increment the lease makes, as (amount, count it returned)."""
    increments: list[tuple[int, int]] = []
    storage = backend._leased_counter().storage
    original = storage.incr

    async def incr(key: str, expiry: int, amount: int = 1) -> int:
        count = int(await original(key, expiry, amount=amount))
        increments.append((amount, count))
        return count

    storage.incr = incr
    return increments


def _counted(backend: LimitBackend, bucket: str, limit: int, window: int = 60) -> int:
    """The shared count, as the sync limiter (log-ins' path) sees it."""
    item = _item(limit, window)
    return limit - int(backend._shared.get_window_stats(item, bucket).remaining)


async def _until_refused(backend: LimitBackend, bucket: str, limit: int, workers: int) -> int:
    """``workers`` concurrent clients of one process, each sending until it is refused (and
    yielding between requests, as a server's requests do)."""
    async def one() -> int:
        allowed = 0
        while await backend.hit_leased_async(bucket, limit, 60) is None:
            allowed += 1
            await asyncio.sleep(0)
        return allowed

    return sum(await asyncio.gather(*(one() for _ in range(workers))))


def test_two_busy_replicas_together_get_exactly_the_limit(redis_url: str) -> None:
    prefix, limit = _prefix(), 20_000  # under a second of both replicas' requests
    replicas = [_backend(redis_url, prefix), _backend(redis_url, prefix)]
    increments = [_record_increments(replica) for replica in replicas]
    allowed = [0, 0]

    def run(index: int) -> None:  # each replica on its own event loop, as in its process
        allowed[index] = asyncio.run(_until_refused(replicas[index], "b:busy", limit, 8))

    threads = [threading.Thread(target=run, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(allowed) == limit  # never more; and none lost, both sent until refused
    assert min(allowed) > 0
    assert replicas[0].exhausted("b:busy", limit, 60) is not None  # the log-ins' path agrees
    calls = sum(len(made) for made in increments)
    assert calls < limit / 2, calls  # leases did most counting (none in the first 1/2 s)
    leases = [max(amount for amount, _ in made) for made in increments]
    assert 1 < min(leases) <= max(leases) <= MAX_LEASE  # both leased: one learned the
    # window's end from its own first increment, the other from the key's TTL


def test_alternating_replicas_pass_exactly_the_limit_in_order(redis_url: str) -> None:
    """The replicas test's pattern (requests alternate between two replicas, a few ms apart,
    long enough to lease): the first ``limit`` pass, then refusals - none refused early."""
    prefix, limit = _prefix(), 400
    one, two = _backend(redis_url, prefix), _backend(redis_url, prefix)
    increments = [_record_increments(one), _record_increments(two)]

    async def alternate() -> list[int | None]:
        results = []
        for index in range(limit + 2):
            results.append(await (one, two)[index % 2].hit_leased_async("b:alt", limit, 60))
            await asyncio.sleep(0.002)
        return results

    results = asyncio.run(alternate())
    assert results[:limit] == [None] * limit
    assert all(r is not None and 1 <= r <= 60 for r in results[limit:])
    assert max(amount for made in increments for amount, _ in made) > 1  # it did lease


def test_quiet_traffic_is_counted_one_by_one_on_the_shared_key(redis_url: str) -> None:
    prefix, limit = _prefix(), 1000
    backend = _backend(redis_url, prefix)
    increments = _record_increments(backend)

    async def clinic() -> list[int | None]:
        burst = [await backend.hit_leased_async("b:quiet", limit, 60) for _ in range(12)]  # a page
        paced = []
        for _ in range(20):  # then 20 requests a second for a second
            await asyncio.sleep(0.05)
            paced.append(await backend.hit_leased_async("b:quiet", limit, 60))
        return burst + paced

    assert asyncio.run(clinic()) == [None] * 32
    assert [amount for amount, _ in increments] == [1] * 32
    assert _counted(backend, "b:quiet", limit) == 32  # exactly what the sync path sees
    assert backend.hit("b:quiet", limit, 60) is None
    assert _counted(backend, "b:quiet", limit) == 33


def test_a_busy_client_costs_far_fewer_increments(redis_url: str) -> None:
    prefix, limit, requests = _prefix(), 100_000, 4000
    backend = _backend(redis_url, prefix)
    increments = _record_increments(backend)

    async def busy(count: int) -> list[int | None]:
        async def one() -> list[int | None]:
            results = []
            for _ in range(count // 8):
                results.append(await backend.hit_leased_async("b:fast", limit, 60))
                await asyncio.sleep(0)  # as a server's requests do
            return results

        return [r for part in await asyncio.gather(*(one() for _ in range(8))) for r in part]

    async def warm_then_measure() -> tuple[list[int | None], int]:
        started = time.monotonic()
        warm = []
        while time.monotonic() - started < 0.6:  # half a second of steady traffic first
            warm += await busy(80)
        before = len(increments)
        return warm + await busy(requests), len(increments) - before

    results, made = asyncio.run(warm_then_measure())
    assert results == [None] * len(results)
    assert made < requests / 4, made  # about 1 in 10 once the rate is seen
    counted = _counted(backend, "b:fast", limit)
    assert counted == sum(amount for amount, _ in increments)
    assert 0 <= counted - len(results) < MAX_LEASE  # only this process's unspent lease is ahead


def test_leases_shrink_near_the_limit_and_none_pass_over_it(redis_url: str) -> None:
    prefix, limit = _prefix(), 5000
    backend = _backend(redis_url, prefix)
    increments = _record_increments(backend)
    allowed = asyncio.run(_until_refused(backend, "b:edge", limit, 1))
    assert allowed == limit  # one process sending until refused: exactly the limit
    assert max(amount for amount, _ in increments) > 1
    for amount, count in increments:
        room_before = max(0, limit - (count - amount))
        assert amount <= max(1, room_before // ROOM_FRACTION), (amount, count)
    last_leases = [amount for amount, count in increments
                   if limit - (count - amount) < 2 * ROOM_FRACTION]
    assert set(last_leases) == {1}


def test_tokens_die_with_their_window(redis_url: str) -> None:
    prefix, limit, window = _prefix(), 100_000, 2
    backend = _backend(redis_url, prefix)
    increments = _record_increments(backend)
    counter = backend._leased_counter()
    key = _item(limit, window).key_for("b:roll")
    raw = redis.Redis.from_url(redis_url)

    async def across_the_window_end() -> None:
        started = time.monotonic()
        while time.monotonic() - started < 1.3 or counter._buckets[key].tokens <= 2:
            assert await backend.hit_leased_async("b:roll", limit, window) is None
        left_ms = int(raw.pttl(f"{prefix}:{key}"))
        assert 0 < left_ms < 800  # the tokens' own lifetime (5 s) has not run out by the end
        await asyncio.sleep(left_ms / 1000 + 0.05)
        made = len(increments)
        assert counter._buckets[key].tokens > 2  # still held, but from the old window
        assert await backend.hit_leased_async("b:roll", limit, window) is None
        assert len(increments) == made + 1  # counted in Redis, not spent from the old lease
        amount, count = increments[-1]
        assert count == amount  # it opened the new window

    asyncio.run(across_the_window_end())
    raw.close()


def test_an_unreachable_redis_still_limits_each_process(tmp_path: Path) -> None:
    with redis_server(tmp_path / "gone") as url:
        pass  # started and stopped: nothing listens there now
    backend = _backend(url, "gone")

    async def many() -> list[int | None]:
        return [await backend.hit_leased_async("b:down", 20, 60) for _ in range(60)]

    results: list[Any] = asyncio.run(many())
    assert results[:20] == [None] * 20
    assert all(r is not None for r in results[20:])
