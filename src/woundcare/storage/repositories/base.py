"""Shared plumbing for repositories."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.engine import Connection

from woundcare.storage.errors import Forbidden, IdentityRequired
from woundcare.storage.identity import Identity

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Repository:
    """Base: a connection inside a unit of work plus the identity it acts for."""

    def __init__(self, conn: Connection, identity: Identity | None, clock: Clock = utc_now) -> None:
        self.conn = conn
        self.identity = identity
        self.clock = clock

    @property
    def is_postgresql(self) -> bool:
        return self.conn.dialect.name == "postgresql"

    def _me(self) -> Identity:
        if self.identity is None:
            raise IdentityRequired("this operation needs an authenticated identity")
        return self.identity

    def _admin(self) -> Identity:
        me = self._me()
        if not me.is_org_admin:
            raise Forbidden("organisation administrators only")
        return me
