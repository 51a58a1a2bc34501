"""Fixed-window rate limits on the ``limits`` library: in Redis (``WOUNDCARE_REDIS_URL``),
shared by every replica, or in the process on the embedded default (one replica).

A hit is one atomic increment (Redis: one ``INCR``+``EXPIRE`` script; in the process: under a
lock) that returns the window's new count, so two replicas counting the same bucket at once
never both see room for the last attempt. Nothing here touches the database: a request's
limit costs no transaction and no row lock.

If Redis cannot be reached a hit is counted in the process instead (logged, never silently
unlimited): each replica then still enforces its own share of the limit.

The per-client API limit (the one hit on every request) may count a busy client's requests a
few at a time in Redis (:mod:`woundcare.service.ratelimit_lease`): never more than the limit,
at most a few refused early. Every other limit counts each hit on its own.
"""

from __future__ import annotations

import math
import threading
import time
from typing import TYPE_CHECKING, Any

from woundcare.config import Settings
from woundcare.logging import get_logger
from woundcare.service.ratelimit_lease import LeasedCounter
from woundcare.service.runtime import Runtime

if TYPE_CHECKING:  # ``limits`` is imported with the first counter, not at start-up
    from limits import RateLimitItem

log = get_logger("woundcare.ratelimit")
MAX_BUCKET = 200
_REDIS_TIMEOUT_S = 0.5


def _item(limit: int, window_seconds: int) -> RateLimitItem:
    from limits import RateLimitItemPerSecond

    return RateLimitItemPerSecond(max(1, limit), max(1, window_seconds))


def _retry(reset_at: float) -> int:
    return max(1, math.ceil(reset_at - time.time()))


class LimitBackend:
    """The counters of one process: Redis (sync for the services' threads, asyncio for the
    middleware) or ``limits``' memory storage. One per runtime (see :func:`backend_for`)."""

    def __init__(self, settings: Settings) -> None:
        from limits.errors import StorageError
        from limits.storage import MemoryStorage, Storage
        from limits.strategies import FixedWindowRateLimiter

        self.unavailable: type[Exception] = StorageError
        self.prefix = settings.redis_key_prefix or "woundcare"
        self.redis_url = settings.redis_url.strip()
        self._memory = FixedWindowRateLimiter(MemoryStorage())
        self._memory_lock = threading.Lock()
        self._shared: Any = None
        self._shared_async: Any = None
        self._leased: LeasedCounter | None = None
        if self.redis_url:
            from limits.storage import RedisStorage

            storage: Storage = RedisStorage(
                self.redis_url, key_prefix=self.prefix, wrap_exceptions=True,
                socket_timeout=_REDIS_TIMEOUT_S, socket_connect_timeout=_REDIS_TIMEOUT_S)
            self._shared = FixedWindowRateLimiter(storage)

    @property
    def shared(self) -> bool:
        return self._shared is not None

    # ------------------------------------------------------------------ sync (threads)

    def hit(self, bucket: str, limit: int, window_seconds: int) -> int | None:
        item = _item(limit, window_seconds)
        if self._shared is not None:
            try:
                if self._shared.hit(item, bucket):
                    return None
                return _retry(self._shared.get_window_stats(item, bucket).reset_time)
            except self.unavailable as exc:
                log.warning("ratelimit.backend_unavailable", error_type=type(exc).__name__)
        return self._hit_in_process(item, bucket)

    def _hit_in_process(self, item: RateLimitItem, bucket: str) -> int | None:
        with self._memory_lock:  # the storage's own per-key locks come and go
            if self._memory.hit(item, bucket):
                return None
            return _retry(self._memory.get_window_stats(item, bucket).reset_time)

    def exhausted(self, bucket: str, limit: int, window_seconds: int) -> int | None:
        item = _item(limit, window_seconds)
        if self._shared is not None:
            try:
                if self._shared.test(item, bucket):
                    return None
                return _retry(self._shared.get_window_stats(item, bucket).reset_time)
            except self.unavailable as exc:
                log.warning("ratelimit.backend_unavailable", error_type=type(exc).__name__)
        with self._memory_lock:
            if self._memory.test(item, bucket):
                return None
            return _retry(self._memory.get_window_stats(item, bucket).reset_time)

    # ------------------------------------------------------------------ asyncio (middleware)

    async def hit_async(self, bucket: str, limit: int, window_seconds: int) -> int | None:
        """The same as :meth:`hit` without leaving the event loop (Redis through its asyncio
        client; the memory storage answers in microseconds, so it is called directly)."""
        if not self.redis_url:
            return self.hit(bucket, limit, window_seconds)
        item = _item(limit, window_seconds)
        try:
            limiter = self._async_limiter()
            if await limiter.hit(item, bucket):
                return None
            stats = await limiter.get_window_stats(item, bucket)
            return _retry(stats.reset_time)
        except self.unavailable as exc:
            log.warning("ratelimit.backend_unavailable", error_type=type(exc).__name__)
        return self._hit_in_process(item, bucket)

    async def hit_leased_async(self, bucket: str, limit: int,
                               window_seconds: int) -> int | None:
        """:meth:`hit_async` for the per-client API limit: a busy bucket's hits are counted a
        few at a time in Redis (:class:`LeasedCounter`), on the same key and count as
        :meth:`hit`; never more than ``limit`` pass. In the process (no Redis): :meth:`hit`."""
        if not self.redis_url:
            return self.hit(bucket, limit, window_seconds)
        item = _item(limit, window_seconds)
        try:
            reset_at = await self._leased_counter().hit(item, bucket)
            return None if reset_at is None else _retry(reset_at)
        except self.unavailable as exc:
            log.warning("ratelimit.backend_unavailable", error_type=type(exc).__name__)
        return self._hit_in_process(item, bucket)

    def _leased_counter(self) -> LeasedCounter:
        if self._leased is None:
            self._leased = LeasedCounter(self._async_limiter().storage)
        return self._leased

    def _async_limiter(self) -> Any:
        if self._shared_async is None:
            from limits.aio.storage import RedisStorage as AsyncRedisStorage
            from limits.aio.strategies import FixedWindowRateLimiter as AsyncFixedWindow

            storage = AsyncRedisStorage(
                self.redis_url, implementation="redispy", key_prefix=self.prefix,
                wrap_exceptions=True, socket_timeout=_REDIS_TIMEOUT_S,
                socket_connect_timeout=_REDIS_TIMEOUT_S)
            self._shared_async = AsyncFixedWindow(storage)
        return self._shared_async


_BACKENDS_LOCK = threading.Lock()


def backend_for(runtime: Runtime) -> LimitBackend:
    """The runtime's one backend (every limiter of a process shares its counters)."""
    backend = runtime.__dict__.get("_rate_limit_backend")
    if backend is None:
        with _BACKENDS_LOCK:
            backend = runtime.__dict__.get("_rate_limit_backend")
            if backend is None:
                backend = LimitBackend(runtime.settings)
                runtime.__dict__["_rate_limit_backend"] = backend
    assert isinstance(backend, LimitBackend)
    return backend


class RateLimiter:
    """``hit``/``exhausted`` answer the seconds to wait, or ``None`` when there is room."""

    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime

    @property
    def backend(self) -> LimitBackend:
        return backend_for(self.rt)  # built on first use (``limits`` loads then)

    def hit(self, bucket: str, limit: int, window_seconds: int) -> int | None:
        """Count one request in ``bucket`` (atomically); the seconds to wait if that took it
        over ``limit``."""
        return self.backend.hit(bucket[:MAX_BUCKET], limit, window_seconds)

    def exhausted(self, bucket: str, limit: int, window_seconds: int) -> int | None:
        """The seconds to wait if ``bucket`` already holds ``limit`` hits (counts nothing)."""
        return self.backend.exhausted(bucket[:MAX_BUCKET], limit, window_seconds)

    def per_client(self, address: str) -> int | None:
        limit = self.rt.settings.rate_limit_per_minute
        if limit <= 0:
            return None
        retry = self.hit(f"client:{self.rt.client_hash(address)}", limit, 60)
        if retry is not None:
            self.rt.metrics.count("rate_limited")
        return retry

    async def per_client_async(self, address: str) -> int | None:
        limit = self.rt.settings.rate_limit_per_minute
        if limit <= 0:
            return None
        bucket = f"client:{self.rt.client_hash(address)}"[:MAX_BUCKET]
        retry = await self.backend.hit_leased_async(bucket, limit, 60)
        if retry is not None:
            self.rt.metrics.count("rate_limited")
        return retry
