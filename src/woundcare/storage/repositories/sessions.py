"""Login sessions. Only token *hashes* are stored; the lookup by hash is pre-authentication."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    ColumnClause,
    String,
    Uuid,
    bindparam,
    column,
    func,
    insert,
    select,
    text,
    update,
)

from woundcare.storage.errors import Forbidden, NotFound
from woundcare.storage.identity import Identity, Role
from woundcare.storage.repositories.base import Repository
from woundcare.storage.schema import clinicians, login_sessions
from woundcare.storage.types import UTCDateTime


@dataclass(frozen=True, slots=True)
class LoginSession:
    id: UUID
    clinician_id: UUID
    organisation_id: UUID
    created_at: datetime
    last_seen_at: datetime
    absolute_expires_at: datetime
    revoked_at: datetime | None
    csrf_token_hash: str = field(repr=False)
    client_hash: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class SessionLookup:
    """A session found by token hash, with what is needed to build the request identity.

    The caller checks expiry (idle and absolute), revocation and ``clinician_active``.
    """

    session: LoginSession
    role: Role
    clinician_active: bool

    def identity(self) -> Identity:
        return Identity(self.session.organisation_id, self.session.clinician_id, self.role)


def _session(row: Any) -> LoginSession:
    return LoginSession(
        row.id,
        row.clinician_id,
        row.organisation_id,
        row.created_at,
        row.last_seen_at,
        row.absolute_expires_at,
        row.revoked_at,
        row.csrf_token_hash,
        row.client_hash,
    )


def _lookup_columns() -> list[ColumnClause[Any]]:
    """What ``wc_session_lookup`` returns (a definer function: the lookup is
    pre-authentication); new column objects for each statement that reads it."""
    return [
        column("id", Uuid),
        column("clinician_id", Uuid),
        column("organisation_id", Uuid),
        column("created_at", UTCDateTime),
        column("last_seen_at", UTCDateTime),
        column("absolute_expires_at", UTCDateTime),
        column("revoked_at", UTCDateTime),
        column("csrf_token_hash", String),
        column("client_hash", String),
        column("role", String),
        column("clinician_active", Boolean),
    ]


# Every authenticated request runs one of these: built once.
_PG_LOOKUP = select(func.wc_session_lookup(bindparam("token_hash", type_=String)).table_valued(
    *_lookup_columns()))
# The same lookup that also makes the found session's identity the transaction's (the
# ``set_config`` a unit of work would otherwise send as its own statement). The definer
# function runs first, with no identity; the settings are made only for the row it returns.
# If the caller then refuses the session (expired, revoked, inactive) the transaction is
# rolled back, and the settings with it.
_PG_LOOKUP_SCOPED = text(
    "SELECT l.*,"
    " set_config('woundcare.org_id', l.organisation_id::text, true) AS scoped_org,"
    " set_config('woundcare.clinician_id', l.clinician_id::text, true) AS scoped_cid,"
    " set_config('woundcare.role', l.role, true) AS scoped_role"
    " FROM wc_session_lookup(:token_hash) AS l"
).columns(
    *_lookup_columns(),
    column("scoped_org", String),
    column("scoped_cid", String),
    column("scoped_role", String),
)
_SQLITE_LOOKUP = (
    select(login_sessions, clinicians.c.role, clinicians.c.active.label("clinician_active"))
    .join(clinicians, (clinicians.c.id == login_sessions.c.clinician_id)
          & (clinicians.c.organisation_id == login_sessions.c.organisation_id))
    .where(login_sessions.c.token_hash == bindparam("token_hash")))


class SessionRepository(Repository):
    def create(
        self,
        *,
        token_hash: str,
        csrf_token_hash: str,
        absolute_expires_at: datetime,
        client_hash: str | None = None,
        session_id: UUID | None = None,
    ) -> LoginSession:
        """A session for the unit of work's identity (the clinician who just logged in)."""
        me = self._me()
        now = self.clock()
        session = LoginSession(
            session_id or uuid.uuid4(),
            me.clinician_id,
            me.organisation_id,
            now,
            now,
            absolute_expires_at,
            None,
            csrf_token_hash,
            client_hash,
        )
        self.conn.execute(
            insert(login_sessions).values(
                id=session.id,
                token_hash=token_hash,
                clinician_id=session.clinician_id,
                organisation_id=session.organisation_id,
                created_at=now,
                last_seen_at=now,
                absolute_expires_at=absolute_expires_at,
                csrf_token_hash=csrf_token_hash,
                client_hash=client_hash,
            )
        )
        return session

    def lookup(self, token_hash: str, *, scope: bool = False) -> SessionLookup | None:
        """Pre-authentication: exactly one session by its token hash, or ``None``. With
        ``scope`` (PostgreSQL), the found session's identity is also set for the rest of the
        transaction, in the same statement; the caller must roll back if it refuses it."""
        if self.is_postgresql:
            lookup = _PG_LOOKUP_SCOPED if scope else _PG_LOOKUP
        else:
            lookup = _SQLITE_LOOKUP
        row = self.conn.execute(lookup, {"token_hash": token_hash}).one_or_none()
        if row is None:
            return None
        return SessionLookup(_session(row), row.role, row.clinician_active)

    def get(self, session_id: UUID) -> LoginSession | None:
        me = self._me()
        row = self.conn.execute(
            select(login_sessions).where(
                login_sessions.c.id == session_id,
                login_sessions.c.clinician_id == me.clinician_id,
                login_sessions.c.organisation_id == me.organisation_id,
            )
        ).one_or_none()
        return None if row is None else _session(row)

    def touch(self, session_id: UUID, at: datetime | None = None) -> None:
        me = self._me()
        result = self.conn.execute(
            update(login_sessions)
            .where(
                login_sessions.c.id == session_id,
                login_sessions.c.clinician_id == me.clinician_id,
                login_sessions.c.organisation_id == me.organisation_id,
                login_sessions.c.revoked_at.is_(None),
            )
            .values(last_seen_at=at or self.clock())
        )
        if result.rowcount != 1:
            raise NotFound("session not found")

    def revoke(self, session_id: UUID) -> bool:
        """Revoke one of the caller's own sessions (logout). Idempotent."""
        me = self._me()
        result = self.conn.execute(
            update(login_sessions)
            .where(
                login_sessions.c.id == session_id,
                login_sessions.c.clinician_id == me.clinician_id,
                login_sessions.c.organisation_id == me.organisation_id,
                login_sessions.c.revoked_at.is_(None),
            )
            .values(revoked_at=self.clock())
        )
        return result.rowcount > 0

    def revoke_all_for_clinician(
        self, clinician_id: UUID, *, except_session: UUID | None = None
    ) -> int:
        """Everywhere-logout: one's own sessions, or (org admin) a colleague's; all but
        ``except_session`` when given (a password change keeps the session that made it)."""
        me = self._me()
        if clinician_id != me.clinician_id and not me.is_org_admin:
            raise Forbidden("cannot revoke another clinician's sessions")
        stmt = update(login_sessions).where(
            login_sessions.c.clinician_id == clinician_id,
            login_sessions.c.organisation_id == me.organisation_id,
            login_sessions.c.revoked_at.is_(None),
        )
        if except_session is not None:
            stmt = stmt.where(login_sessions.c.id != except_session)
        result = self.conn.execute(stmt.values(revoked_at=self.clock()))
        return int(result.rowcount)
