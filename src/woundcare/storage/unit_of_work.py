"""The unit of work: one connection, one transaction, repositories created on first use."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection

from woundcare.storage.errors import IdentityRequired
from woundcare.storage.identity import Identity

if TYPE_CHECKING:
    from woundcare.storage.repositories.audit import AuditRepository
    from woundcare.storage.repositories.clinicians import ClinicianRepository
    from woundcare.storage.repositories.delegations import DelegationRepository
    from woundcare.storage.repositories.idempotency import IdempotencyRepository
    from woundcare.storage.repositories.organisations import OrganisationRepository
    from woundcare.storage.repositories.pin_attempts import PinAttemptRepository
    from woundcare.storage.repositories.sessions import SessionRepository


class UnitOfWork:
    """Created by :meth:`Database.unit_of_work`; do not keep it beyond the ``with`` block.

    Later repositories (cases, artifacts, provenance) follow the same pattern: a class taking
    ``(conn, identity)`` exposed as a cached property here.
    """

    def __init__(self, conn: Connection, identity: Identity | None) -> None:
        self.conn = conn
        self.identity = identity

    @property
    def dialect(self) -> str:
        return self.conn.dialect.name

    def require_identity(self) -> Identity:
        if self.identity is None:
            raise IdentityRequired("this operation needs an authenticated identity")
        return self.identity

    @cached_property
    def organisations(self) -> OrganisationRepository:
        from woundcare.storage.repositories.organisations import OrganisationRepository

        return OrganisationRepository(self.conn, self.identity)

    @cached_property
    def clinicians(self) -> ClinicianRepository:
        from woundcare.storage.repositories.clinicians import ClinicianRepository

        return ClinicianRepository(self.conn, self.identity)

    @cached_property
    def delegations(self) -> DelegationRepository:
        from woundcare.storage.repositories.delegations import DelegationRepository

        return DelegationRepository(self.conn, self.identity)

    @cached_property
    def sessions(self) -> SessionRepository:
        from woundcare.storage.repositories.sessions import SessionRepository

        return SessionRepository(self.conn, self.identity)

    @cached_property
    def pin_attempts(self) -> PinAttemptRepository:
        from woundcare.storage.repositories.pin_attempts import PinAttemptRepository

        return PinAttemptRepository(self.conn, self.identity)

    @cached_property
    def audit(self) -> AuditRepository:
        from woundcare.storage.repositories.audit import AuditRepository

        return AuditRepository(self.conn, self.identity)

    @cached_property
    def idempotency(self) -> IdempotencyRepository:
        from woundcare.storage.repositories.idempotency import IdempotencyRepository

        return IdempotencyRepository(self.conn, self.identity)
