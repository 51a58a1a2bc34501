"""PIN attempts and lockouts, counted in the database so every replica sees them.

The policy (5 failures per 15 minutes, lockout length) belongs to the caller; this module
records attempts, counts failures in a window, and stores lockouts per (clinician, client).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from woundcare.storage.errors import Forbidden
from woundcare.storage.repositories.base import Repository
from woundcare.storage.schema import pin_attempts, pin_lockouts


class PinAttemptRepository(Repository):
    def serialise(self) -> None:
        """Make the caller's PIN checks take turns until this transaction ends, so concurrent
        attempts each see the failures before them (SQLite's write transactions already
        take turns)."""
        if self.is_postgresql:
            me = self._me()
            self.conn.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                {"key": f"woundcare.pin:{me.clinician_id}"},
            )

    def record(self, *, client_hash: str, success: bool, at: datetime | None = None) -> UUID:
        me = self._me()
        attempt_id = uuid.uuid4()
        self.conn.execute(
            insert(pin_attempts).values(
                id=attempt_id,
                clinician_id=me.clinician_id,
                organisation_id=me.organisation_id,
                client_hash=client_hash,
                at=at or self.clock(),
                success=success,
            )
        )
        return attempt_id

    def count_failures(self, *, client_hash: str, since: datetime) -> int:
        """Failed attempts by the caller from ``client_hash`` at or after ``since`` and after
        their last successful one (a successful signature starts the count again)."""
        me = self._me()
        mine = (
            pin_attempts.c.clinician_id == me.clinician_id,
            pin_attempts.c.organisation_id == me.organisation_id,
            pin_attempts.c.client_hash == client_hash,
        )
        last_success = self.conn.execute(
            select(func.max(pin_attempts.c.at)).where(
                *mine, pin_attempts.c.at >= since, pin_attempts.c.success.is_(True))
        ).scalar_one()
        after = (pin_attempts.c.at >= since if last_success is None
                 else pin_attempts.c.at > last_success)
        return int(
            self.conn.execute(
                select(func.count()).where(*mine, after, pin_attempts.c.success.is_(False))
            ).scalar_one()
        )

    def set_lockout(self, *, client_hash: str, locked_until: datetime) -> None:
        me = self._me()
        dialect_insert = pg_insert if self.is_postgresql else sqlite_insert
        stmt = dialect_insert(pin_lockouts).values(
            clinician_id=me.clinician_id,
            client_hash=client_hash,
            organisation_id=me.organisation_id,
            locked_until=locked_until,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[pin_lockouts.c.clinician_id, pin_lockouts.c.client_hash],
            set_={"locked_until": stmt.excluded.locked_until},
            where=pin_lockouts.c.organisation_id == me.organisation_id,
        )
        self.conn.execute(stmt)

    def get_lockout(self, *, client_hash: str) -> datetime | None:
        """When the caller's lockout for ``client_hash`` ends (may be in the past), if any."""
        me = self._me()
        value: datetime | None = self.conn.execute(
            select(pin_lockouts.c.locked_until).where(
                pin_lockouts.c.clinician_id == me.clinician_id,
                pin_lockouts.c.organisation_id == me.organisation_id,
                pin_lockouts.c.client_hash == client_hash,
            )
        ).scalar_one_or_none()
        return value

    def clear_lockout(
        self, *, client_hash: str | None = None, clinician_id: UUID | None = None
    ) -> int:
        """Clear the caller's lockouts (after a successful PIN), or, as org admin, a
        colleague's. ``client_hash=None`` clears every client's lockout for that clinician."""
        me = self._me()
        target = clinician_id or me.clinician_id
        if target != me.clinician_id and not me.is_org_admin:
            raise Forbidden("cannot clear another clinician's lockout")
        stmt = delete(pin_lockouts).where(
            pin_lockouts.c.clinician_id == target,
            pin_lockouts.c.organisation_id == me.organisation_id,
        )
        if client_hash is not None:
            stmt = stmt.where(pin_lockouts.c.client_hash == client_hash)
        return int(self.conn.execute(stmt).rowcount)
