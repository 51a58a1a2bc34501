"""Idempotency records: which case a (clinician, key) write produced, never its response.

A write claims its key first thing in its own transaction (insert first, on the primary key
``(clinician_id, key)``). On PostgreSQL a concurrent duplicate's insert waits on the unique
index until the first transaction ends and then sees the committed record; on SQLite writers
are serialised by ``BEGIN IMMEDIATE``. The claim is completed (status, case id, version) in the
same transaction, so a rolled-back write leaves no record and a retry simply runs again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from woundcare.storage.errors import Busy
from woundcare.storage.repositories.base import Repository
from woundcare.storage.schema import idempotency_records


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    key: str
    method: str
    path: str
    request_hash: str
    status_code: int | None
    case_id: UUID | None
    version: int | None
    created_at: datetime

    @property
    def completed(self) -> bool:
        return self.status_code is not None


class IdempotencyRepository(Repository):
    def _mine(self, key: str) -> list[object]:
        me = self._me()
        return [idempotency_records.c.clinician_id == me.clinician_id,
                idempotency_records.c.organisation_id == me.organisation_id,
                idempotency_records.c.key == key]

    def get(self, key: str) -> IdempotencyRecord | None:
        row = self.conn.execute(
            select(idempotency_records).where(*self._mine(key))  # type: ignore[arg-type]
        ).one_or_none()
        if row is None:
            return None
        return IdempotencyRecord(row.key, row.method, row.path, row.request_hash,
                                 row.status_code, row.case_id, row.version, row.created_at)

    def claim(self, *, key: str, method: str, path: str, request_hash: str,
              expired_before: datetime, wait_seconds: float = 10.0) -> bool:
        """Insert the claim for ``key``; False if a record exists already (it is then
        committed: a concurrent claim's insert waited for it). An expired record of the same
        key is forgotten first."""
        me = self._me()
        self.conn.execute(delete(idempotency_records).where(
            *self._mine(key), idempotency_records.c.created_at < expired_before))  # type: ignore[arg-type]
        dialect_insert = pg_insert if self.is_postgresql else sqlite_insert
        stmt = dialect_insert(idempotency_records).values(
            clinician_id=me.clinician_id, key=key, organisation_id=me.organisation_id,
            method=method, path=path, request_hash=request_hash, status_code=None,
            case_id=None, version=None, created_at=self.clock(),
        ).on_conflict_do_nothing().returning(idempotency_records.c.key)
        if not self.is_postgresql:
            return self.conn.execute(stmt).first() is not None
        # A concurrent claim of the same key holds the index entry until it commits: wait for
        # it at most ``wait_seconds`` (then Busy), and only here.
        self.conn.execute(text("SELECT set_config('lock_timeout', :ms, true)"),
                          {"ms": f"{int(wait_seconds * 1000)}ms"})
        try:
            with self.conn.begin_nested():
                claimed = self.conn.execute(stmt).first() is not None
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) == "55P03":  # lock_not_available
                raise Busy("idempotency key claimed by a running request") from None
            raise
        self.conn.execute(text("SELECT set_config('lock_timeout', '0', true)"))
        return claimed

    def complete(self, key: str, *, status_code: int, case_id: UUID, version: int) -> None:
        """Record what the claimed write produced (in the write's own transaction)."""
        self.conn.execute(update(idempotency_records).where(*self._mine(key)).values(  # type: ignore[arg-type]
            status_code=status_code, case_id=case_id, version=version))

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


def prune_all_expired(conn: Connection, before: datetime) -> int:
    """Scheduled housekeeping: forget every organisation's records created before ``before``.
    On PostgreSQL through ``wc_prune_idempotency`` (SECURITY DEFINER: the application role
    cannot see other clinicians' records, and need not)."""
    if conn.dialect.name == "postgresql":
        return int(conn.execute(select(func.wc_prune_idempotency(before))).scalar_one())
    result = conn.execute(delete(idempotency_records).where(
        idempotency_records.c.created_at < before))
    return int(result.rowcount)
