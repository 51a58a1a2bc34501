"""Fixed-window rate limits counted in the database (shared by every replica)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from woundcare.service.runtime import Runtime


class RateLimiter:
    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime

    def hit(self, bucket: str, limit: int, window_seconds: int) -> int | None:
        """Count one request in ``bucket``; the seconds to wait if it is over ``limit``."""
        now = self.rt.clock()
        epoch = int(now.timestamp())
        start = epoch - epoch % window_seconds
        window_start = datetime.fromtimestamp(start, UTC)
        with self.rt.db.unit_of_work(None) as uow:
            count = uow.rate_limits.hit(bucket[:200], window_start)
            if random.random() < 0.001:
                uow.rate_limits.prune(now - timedelta(days=1))
        if count > limit:
            return start + window_seconds - epoch
        return None

    def per_client(self, address: str) -> int | None:
        limit = self.rt.settings.rate_limit_per_minute
        if limit <= 0:
            return None
        retry = self.hit(f"client:{self.rt.client_hash(address)}", limit, 60)
        if retry is not None:
            self.rt.metrics.count("rate_limited")
        return retry
