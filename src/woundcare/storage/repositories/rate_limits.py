"""Fixed-window rate-limit counters shared by every replica. Not tenant data, no PHI: the
bucket key is an opaque (hashed) client or account identifier chosen by the caller."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from woundcare.storage.repositories.base import Repository
from woundcare.storage.schema import rate_limit_buckets


class RateLimitRepository(Repository):
    def hit(self, bucket_key: str, window_start: datetime) -> int:
        """Count one hit and return the window's new total, atomically (one upsert)."""
        dialect_insert = pg_insert if self.is_postgresql else sqlite_insert
        stmt = dialect_insert(rate_limit_buckets).values(
            bucket_key=bucket_key, window_start=window_start, count=1
        )
        upsert = stmt.on_conflict_do_update(
            index_elements=[rate_limit_buckets.c.bucket_key, rate_limit_buckets.c.window_start],
            set_={"count": rate_limit_buckets.c.count + 1},
        ).returning(rate_limit_buckets.c.count)
        return int(self.conn.execute(upsert).scalar_one())

    def count(self, bucket_key: str, window_start: datetime) -> int:
        """The window's total so far, without counting a hit."""
        found = self.conn.execute(
            select(rate_limit_buckets.c.count).where(
                rate_limit_buckets.c.bucket_key == bucket_key,
                rate_limit_buckets.c.window_start == window_start)
        ).scalar_one_or_none()
        return int(found or 0)

    def prune(self, before: datetime) -> int:
        """Drop windows that started before ``before``."""
        result = self.conn.execute(
            delete(rate_limit_buckets).where(rate_limit_buckets.c.window_start < before)
        )
        return int(result.rowcount)
