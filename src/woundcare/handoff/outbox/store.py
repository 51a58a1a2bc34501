"""The outbox table: entries written in the export's transaction, claimed with a lease by the
worker (a crashed worker's lease runs out and the entry is claimed again), finished as
delivered, rescheduled, or dead."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from woundcare.storage.schema import outbox

KINDS = ("report", "report_drop", "fhir", "team_board")


@dataclass(frozen=True)
class Entry:
    id: UUID
    organisation_id: UUID
    case_id: UUID
    kind: str
    status: str
    attempts: int
    max_attempts: int
    next_attempt_at: datetime
    last_error: str | None
    result_blob_key: str | None
    created_at: datetime
    delivered_at: datetime | None


def _entry(row: sa.Row[tuple[object, ...]] | sa.RowMapping) -> Entry:
    m = row._mapping if isinstance(row, sa.Row) else row
    return Entry(m["id"], m["organisation_id"], m["case_id"], m["kind"], m["status"],
                 m["attempts"], m["max_attempts"], m["next_attempt_at"], m["last_error"],
                 m["result_blob_key"], m["created_at"], m["delivered_at"])


def enqueue(conn: Connection, *, organisation_id: UUID, case_id: UUID, kinds: list[str],
            now: datetime, max_attempts: int) -> list[UUID]:
    """Add one pending entry per kind (inside the caller's transaction)."""
    ids = []
    for kind in kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown outbox kind {kind!r}")
        entry_id = uuid.uuid4()
        conn.execute(outbox.insert().values(
            id=entry_id, organisation_id=organisation_id, case_id=case_id, kind=kind,
            status="pending", attempts=0, max_attempts=max_attempts, next_attempt_at=now,
            created_at=now, updated_at=now))
        ids.append(entry_id)
    return ids


def claim(conn: Connection, *, now: datetime, lease: timedelta,
          kinds: tuple[str, ...] = KINDS) -> Entry | None:
    """Take the next due entry: pending, or in progress with an expired lease (its worker
    died). Counts the attempt. ``SKIP LOCKED`` on PostgreSQL lets workers run side by side;
    SQLite serialises writers (``BEGIN IMMEDIATE``)."""
    due = (sa.select(outbox.c.id)
           .where(outbox.c.kind.in_(kinds), outbox.c.next_attempt_at <= now,
                  sa.or_(outbox.c.status == "pending",
                         sa.and_(outbox.c.status == "in_progress",
                                 outbox.c.lease_until < now)))
           .order_by(outbox.c.next_attempt_at).limit(1))
    if conn.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    entry_id = conn.execute(due).scalar_one_or_none()
    if entry_id is None:
        return None
    row = conn.execute(
        outbox.update().where(outbox.c.id == entry_id)
        .values(status="in_progress", attempts=outbox.c.attempts + 1, lease_until=now + lease,
                updated_at=now)
        .returning(*outbox.c)).one()
    return _entry(row)


def finish(conn: Connection, entry_id: UUID, *, now: datetime,
           result_blob_key: str | None = None) -> None:
    values: dict[str, object] = {"status": "delivered", "delivered_at": now, "updated_at": now,
                                 "lease_until": None, "last_error": None}
    if result_blob_key is not None:
        values["result_blob_key"] = result_blob_key
    conn.execute(outbox.update().where(outbox.c.id == entry_id).values(**values))


def reschedule(conn: Connection, entry_id: UUID, *, now: datetime, at: datetime | None,
               error: str) -> str:
    """Back to pending at ``at``, or dead when ``at`` is None. Returns the new status."""
    status = "pending" if at is not None else "dead"
    conn.execute(outbox.update().where(outbox.c.id == entry_id).values(
        status=status, next_attempt_at=at or now, lease_until=None, last_error=error[:64],
        updated_at=now))
    return status


def requeue(conn: Connection, entry_id: UUID, *, now: datetime) -> bool:
    """A dead entry back to pending with fresh attempts (an administrator's decision)."""
    result = conn.execute(outbox.update().where(outbox.c.id == entry_id,
                                                outbox.c.status == "dead")
                          .values(status="pending", attempts=0, next_attempt_at=now,
                                  updated_at=now, lease_until=None))
    return result.rowcount == 1


def list_entries(conn: Connection, *, status: str | None = None,
                 organisation_id: UUID | None = None, case_id: UUID | None = None,
                 limit: int = 100) -> list[Entry]:
    query = sa.select(outbox).order_by(outbox.c.created_at.desc()).limit(limit)
    if status:
        query = query.where(outbox.c.status == status)
    if organisation_id:
        query = query.where(outbox.c.organisation_id == organisation_id)
    if case_id:
        query = query.where(outbox.c.case_id == case_id)
    return [_entry(row) for row in conn.execute(query)]


def counts(conn: Connection) -> dict[tuple[str, str], int]:
    rows = conn.execute(sa.select(outbox.c.kind, outbox.c.status, sa.func.count())
                        .group_by(outbox.c.kind, outbox.c.status))
    return {(kind, status): int(n) for kind, status, n in rows}
