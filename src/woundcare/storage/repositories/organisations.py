"""Organisations (tenants). Creating one is an operator action, never a tenant's."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import insert, select

from woundcare.storage.errors import Forbidden
from woundcare.storage.repositories.base import Repository
from woundcare.storage.schema import organisations


@dataclass(frozen=True, slots=True)
class Organisation:
    id: UUID
    name: str
    created_at: datetime


class OrganisationRepository(Repository):
    def create(self, name: str, *, organisation_id: UUID | None = None) -> Organisation:
        """Operator/bootstrap only (no identity; on PostgreSQL, connect as the owner)."""
        if self.identity is not None:
            raise Forbidden("organisations are created by operators, not by tenants")
        name = name.strip()
        if not name:
            raise ValueError("organisation name must not be empty")
        org = Organisation(organisation_id or uuid.uuid4(), name, self.clock())
        self.conn.execute(
            insert(organisations).values(id=org.id, name=org.name, created_at=org.created_at)
        )
        return org

    def get(self, organisation_id: UUID) -> Organisation | None:
        """With an identity only the caller's own organisation is visible."""
        stmt = select(organisations).where(organisations.c.id == organisation_id)
        if self.identity is not None:
            stmt = stmt.where(organisations.c.id == self.identity.organisation_id)
        row = self.conn.execute(stmt).one_or_none()
        return None if row is None else Organisation(row.id, row.name, row.created_at)
