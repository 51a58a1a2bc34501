"""Idempotency records: the first response to a (clinician, key) write, replayed on retry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from woundcare.storage.errors import StorageError
from woundcare.storage.repositories.base import Repository
from woundcare.storage.schema import idempotency_records


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    key: str
    method: str
    path: str
    request_hash: str
    status_code: int
    response_body: Any
    created_at: datetime


class IdempotencyRepository(Repository):
    def get(self, key: str) -> IdempotencyRecord | None:
        me = self._me()
        row = self.conn.execute(
            select(idempotency_records).where(
                idempotency_records.c.clinician_id == me.clinician_id,
                idempotency_records.c.organisation_id == me.organisation_id,
                idempotency_records.c.key == key,
            )
        ).one_or_none()
        if row is None:
            return None
        return IdempotencyRecord(
            row.key,
            row.method,
            row.path,
            row.request_hash,
            row.status_code,
            row.response_body,
            row.created_at,
        )

    def put(
        self,
        *,
        key: str,
        method: str,
        path: str,
        request_hash: str,
        status_code: int,
        response_body: Any,
    ) -> IdempotencyRecord:
        """Store the first response for ``key``; if one exists already (a concurrent retry
        won), return the stored one unchanged. The caller compares ``request_hash`` to tell a
        replay from a key reused for a different request."""
        me = self._me()
        dialect_insert = pg_insert if self.is_postgresql else sqlite_insert
        stmt = dialect_insert(idempotency_records).values(
            clinician_id=me.clinician_id,
            key=key,
            organisation_id=me.organisation_id,
            method=method,
            path=path,
            request_hash=request_hash,
            status_code=status_code,
            response_body=response_body,
            created_at=self.clock(),
        )
        inserted = self.conn.execute(
            stmt.on_conflict_do_nothing().returning(idempotency_records.c.created_at)
        ).one_or_none()
        if inserted is not None:  # the usual case: no second read
            return IdempotencyRecord(key, method, path, request_hash, status_code,
                                     response_body, inserted.created_at)
        stored = self.get(key)
        if stored is None:  # pragma: no cover - only if RLS and the scope disagree
            raise StorageError("idempotency record not visible after write")
        return stored

    def prune(self, *, before: datetime) -> int:
        """Forget the caller's records created before ``before`` (their TTL has passed)."""
        me = self._me()
        result = self.conn.execute(
            delete(idempotency_records).where(
                idempotency_records.c.clinician_id == me.clinician_id,
                idempotency_records.c.organisation_id == me.organisation_id,
                idempotency_records.c.created_at < before,
            )
        )
        return int(result.rowcount)
