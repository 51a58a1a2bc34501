"""Fixed-window rate limits counted in the database (shared by every replica)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from woundcare.service.runtime import Runtime


class RateLimiter:
    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime

    def _window(self, window_seconds: int) -> tuple[int, int, datetime]:
        epoch = int(self.rt.clock().timestamp())
        start = epoch - epoch % window_seconds
        return epoch, start, datetime.fromtimestamp(start, UTC)

    def hit(self, bucket: str, limit: int, window_seconds: int) -> int | None:
        """Count one request in ``bucket``; the seconds to wait if it is over ``limit``."""
        epoch, start, window_start = self._window(window_seconds)
        with self.rt.db.unit_of_work(None) as uow:
            count = uow.rate_limits.hit(bucket[:200], window_start)
            if random.random() < 0.001:
                uow.rate_limits.prune(self.rt.clock() - timedelta(days=1))
        if count > limit:
            return start + window_seconds - epoch
        return None

    def exhausted(self, bucket: str, limit: int, window_seconds: int) -> int | None:
        """The seconds to wait if ``bucket`` already holds ``limit`` hits (counts nothing)."""
        epoch, start, window_start = self._window(window_seconds)
        with self.rt.db.unit_of_work(None, read_only=True) as uow:
            count = uow.rate_limits.count(bucket[:200], window_start)
        return start + window_seconds - epoch if count >= limit else None

    def per_client(self, address: str) -> int | None:
        limit = self.rt.settings.rate_limit_per_minute
        if limit <= 0:
            return None
        retry = self.hit(f"client:{self.rt.client_hash(address)}", limit, 60)
        if retry is not None:
            self.rt.metrics.count("rate_limited")
        return retry
