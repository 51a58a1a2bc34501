"""Crypto-shredding of a case: its data key is destroyed, so every ciphertext made under it
(sensitive fields, files, the rendered report) is unreadable for good, wherever a copy of
the ciphertext survives (backups, replicas, blob versions).

What stays is a tombstone: the case row with its ids, times, state and status, visit chain
and provenance head and count; the provenance entries (field paths, actors, times, hashes,
never values); the artifact rows (ids, sizes, hashes). The clinical payload is replaced by
the minimal record; encrypted fields, the wrapped key and the MRN search hash are removed.
Runs as the operator (owner role), in one transaction; blobs are deleted after it commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from woundcare.storage.schema import artifacts, cases, outbox, shred_requests

#: ``cases.key_version`` of a shredded case (no key can ever unwrap it).
SHREDDED = "shredded"


@dataclass
class ShredResult:
    case_id: UUID
    blob_keys: list[str] = field(default_factory=list)  # to delete once committed
    deliveries: list[dict[str, Any]] = field(default_factory=list)  # already made: follow up


def tombstone_payload(row: Any, *, now: datetime) -> dict[str, Any]:
    return {
        "case_id": str(row.id), "organisation_id": str(row.organisation_id),
        "owner_id": str(row.owner_id), "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(), "version": row.version,
        "state": row.state, "status": row.status, "visit_number": row.visit_number,
        "previous_case_id": str(row.previous_case_id) if row.previous_case_id else None,
    }


def shred_case(conn: Connection, case_id: UUID, *, now: datetime,
               reason_code: str) -> ShredResult:
    row = conn.execute(sa.select(cases).where(cases.c.id == case_id).with_for_update()).one()
    result = ShredResult(case_id)
    if row.key_version == SHREDDED:
        return result
    result.blob_keys = list(conn.execute(
        sa.select(artifacts.c.blob_key).where(artifacts.c.case_id == case_id)).scalars())
    for entry in conn.execute(sa.select(outbox).where(outbox.c.case_id == case_id)).mappings():
        if entry["result_blob_key"]:
            result.blob_keys.append(entry["result_blob_key"])
        if entry["status"] == "delivered" and entry["kind"] != "report":
            result.deliveries.append({"kind": entry["kind"], "entry_id": str(entry["id"]),
                                      "delivered_at": entry["delivered_at"].isoformat()})
    conn.execute(cases.update().where(cases.c.id == case_id).values(
        payload=tombstone_payload(row, now=now), encrypted_fields={}, wrapped_dek="",
        key_version=SHREDDED, mrn_hash=None))
    conn.execute(outbox.update().where(outbox.c.case_id == case_id).values(
        result_blob_key=None, updated_at=now))
    conn.execute(outbox.update().where(outbox.c.case_id == case_id,
                                       outbox.c.status.in_(("pending", "in_progress", "dead")))
                 .values(status="dead", last_error="case_shredded", updated_at=now))
    conn.execute(shred_requests.update().where(shred_requests.c.case_id == case_id)
                 .values(shredded_at=now, reason_code=reason_code))
    return result


def due_requests(conn: Connection, *, now: datetime) -> list[tuple[UUID, str]]:
    rows = conn.execute(sa.select(shred_requests.c.case_id, shred_requests.c.reason_code)
                        .where(shred_requests.c.due_at <= now,
                               shred_requests.c.shredded_at.is_(None)))
    return [(case_id, reason) for case_id, reason in rows]
