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

from sqlalchemy import Uuid, bindparam, delete, func, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from woundcare.storage.errors import Busy, is_lock_timeout
from woundcare.storage.repositories.base import Repository
from woundcare.storage.schema import idempotency_records
from woundcare.storage.types import UTCDateTime


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


_CLAIM_COLUMNS = ("clinician_id", "key", "organisation_id", "method", "path", "request_hash",
                  "created_at")
_SQLITE_CLAIM = (sqlite_insert(idempotency_records)
                 .values({c: bindparam(c) for c in _CLAIM_COLUMNS})
                 .on_conflict_do_nothing().returning(idempotency_records.c.key))
# The CTE sets the lock timeout before the insert looks for a conflicting key (one round trip).
_PG_CLAIM = text(
    "WITH _wait AS (SELECT set_config('lock_timeout', :ms, true))"
    " INSERT INTO idempotency_records"
    " (clinician_id, key, organisation_id, method, path, request_hash, created_at)"
    " SELECT :clinician_id, :key, :organisation_id, :method, :path, :request_hash, :created_at"
    " FROM _wait ON CONFLICT DO NOTHING RETURNING key"
).bindparams(bindparam("clinician_id", type_=Uuid()), bindparam("organisation_id", type_=Uuid()),
             bindparam("created_at", type_=UTCDateTime()))


_COMPLETE = update(idempotency_records).where(
    idempotency_records.c.clinician_id == bindparam("k_clinician"),
    idempotency_records.c.organisation_id == bindparam("k_org"),
    idempotency_records.c.key == bindparam("k_key"))
# The same with every parameter named (no column's name): a CTE of another statement can
# carry it (the audit event of the write it completes; see AuditRepository.append).
COMPLETE_NAMED = _COMPLETE.values(status_code=bindparam("i_status"),
                                  case_id=bindparam("i_case"), version=bindparam("i_version"))


@dataclass(frozen=True, slots=True)
class Completion:
    """What a claimed write produced, to record on its key: :data:`COMPLETE_NAMED`'s
    parameters."""

    params: dict[str, object]


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
        """Insert the claim for ``key``; False if an unexpired record exists already (it is
        then committed: a concurrent claim's insert waited for it). An expired record of the
        same key is forgotten and the key claimed again.

        On PostgreSQL this is one statement on the common path: the lock timeout is set by the
        same statement (a CTE the insert reads first), so a concurrent claim of the same key
        is waited for at most ``wait_seconds`` (then :class:`Busy`, the transaction is over).
        The timeout stays for the rest of this write's transaction: a write never waits longer
        than that for a lock (:meth:`Database.unit_of_work` turns a timeout into Busy)."""
        values = {"clinician_id": self._me().clinician_id, "key": key,
                  "organisation_id": self._me().organisation_id, "method": method,
                  "path": path, "request_hash": request_hash, "created_at": self.clock()}
        if self._insert(values, wait_seconds):
            return True
        forgotten = self.conn.execute(delete(idempotency_records).where(
            *self._mine(key), idempotency_records.c.created_at < expired_before))  # type: ignore[arg-type]
        return bool(forgotten.rowcount) and self._insert(values, wait_seconds)

    def _insert(self, values: dict[str, object], wait_seconds: float) -> bool:
        if not self.is_postgresql:
            return self.conn.execute(_SQLITE_CLAIM, values).first() is not None
        try:
            row = self.conn.execute(_PG_CLAIM, {
                **values, "ms": f"{int(wait_seconds * 1000)}ms"}).first()
        except OperationalError as exc:
            if is_lock_timeout(exc):
                raise Busy("idempotency key claimed by a running request") from None
            raise
        return row is not None

    def complete(self, key: str, *, status_code: int, case_id: UUID, version: int) -> None:
        """Record what the claimed write produced (in the write's own transaction)."""
        self.record(self.completion(key, status_code=status_code, case_id=case_id,
                                    version=version))

    def record(self, completion: Completion) -> None:
        self.conn.execute(COMPLETE_NAMED, completion.params)

    def completion(self, key: str, *, status_code: int, case_id: UUID, version: int
                   ) -> Completion:
        """:meth:`complete`'s statement, unsent: the write's audit event carries it (one
        round trip for both on PostgreSQL)."""
        me = self._me()
        return Completion({"k_clinician": me.clinician_id, "k_org": me.organisation_id,
                           "k_key": key, "i_status": status_code, "i_case": case_id,
                           "i_version": version})

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
