"""Rate limits on ``limits``: atomic under concurrency, shared through Redis by separate
processes' limiters (two replicas), in the process without Redis, and never unlimited when
Redis goes away."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.processes import redis_server
from woundcare.config import Settings
from woundcare.service.ratelimit import LimitBackend, RateLimiter


def _settings(**values: Any) -> Settings:
    return Settings.model_validate({"profile": "dev", **values})


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


def _hammer(backend: LimitBackend, bucket: str, limit: int, tries: int) -> list[int | None]:
    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(lambda _: backend.hit(bucket, limit, 60), range(tries)))


def test_in_process_hits_are_atomic_and_answer_a_wait() -> None:
    backend = LimitBackend(_settings(redis_url=""))
    assert not backend.shared
    results = _hammer(backend, "b:memory", 50, 400)
    assert results.count(None) == 50
    assert all(r is not None and 1 <= r <= 60 for r in results if r is not None)
    assert backend.exhausted("b:memory", 50, 60) is not None
    assert backend.exhausted("b:other", 50, 60) is None


def test_two_replicas_share_one_count_in_redis(redis_url: str) -> None:
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    one = LimitBackend(_settings(redis_url=redis_url, redis_key_prefix=prefix))
    two = LimitBackend(_settings(redis_url=redis_url, redis_key_prefix=prefix))
    assert one.shared
    assert two.shared
    with ThreadPoolExecutor(2) as pool:
        halves = list(pool.map(lambda b: _hammer(b, "b:shared", 30, 100), (one, two)))
    allowed = sum(half.count(None) for half in halves)
    assert allowed == 30  # exactly the limit across both, never more
    assert two.exhausted("b:shared", 30, 60) is not None
    # another prefix (another deployment or test) counts separately
    other = LimitBackend(_settings(redis_url=redis_url, redis_key_prefix=prefix + "x"))
    assert other.exhausted("b:shared", 30, 60) is None


def test_the_middleware_path_counts_in_the_same_redis_buckets(redis_url: str) -> None:
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    sync = LimitBackend(_settings(redis_url=redis_url, redis_key_prefix=prefix))
    aio = LimitBackend(_settings(redis_url=redis_url, redis_key_prefix=prefix))

    async def three() -> list[int | None]:
        return [await aio.hit_async("b:async", 3, 60) for _ in range(3)]

    assert asyncio.run(three()) == [None, None, None]
    assert sync.hit("b:async", 3, 60) is not None


def test_an_unreachable_redis_falls_back_to_counting_in_the_process(tmp_path: Path) -> None:
    with redis_server(tmp_path / "gone") as url:
        pass  # started and stopped: nothing listens there now
    backend = LimitBackend(_settings(redis_url=url, redis_key_prefix="gone"))
    assert [backend.hit("b:fallback", 2, 60) for _ in range(3)][:2] == [None, None]
    assert backend.hit("b:fallback", 2, 60) is not None  # still limited, per process


def test_limiters_of_one_runtime_share_the_backend(tmp_path: Path) -> None:
    from tests.api.conftest import test_settings
    from woundcare.service.runtime import build_runtime

    runtime = build_runtime(test_settings(tmp_path, f"sqlite:///{tmp_path / 'x.db'}"))
    first, second = RateLimiter(runtime), RateLimiter(runtime)
    assert first.backend is second.backend
    assert first.hit("b:one", 1, 60) is None
    assert second.hit("b:one", 1, 60) is not None
