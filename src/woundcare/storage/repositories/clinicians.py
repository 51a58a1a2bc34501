"""Clinicians (user accounts). Hashes never leave this module except where a caller verifies.

On PostgreSQL the application role cannot SELECT ``password_hash`` or ``pin_hash`` at all
(column privileges): the login lookup and the caller's own PIN hash come from SECURITY
DEFINER functions that return exactly one row's worth of what is needed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Boolean, String, Text, Uuid, column, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from woundcare.storage.errors import Conflict, Forbidden, NotFound
from woundcare.storage.identity import Role
from woundcare.storage.repositories.base import Repository
from woundcare.storage.schema import ROLES, clinicians

_PUBLIC_COLUMNS = (
    clinicians.c.id,
    clinicians.c.organisation_id,
    clinicians.c.email,
    clinicians.c.display_name,
    clinicians.c.role,
    clinicians.c.pin_set_at,
    clinicians.c.active,
    clinicians.c.created_at,
)


@dataclass(frozen=True, slots=True)
class Clinician:
    id: UUID
    organisation_id: UUID
    email: str
    display_name: str
    role: Role
    pin_set_at: datetime | None
    active: bool
    created_at: datetime

    @property
    def has_pin(self) -> bool:
        return self.pin_set_at is not None


@dataclass(frozen=True, slots=True)
class LoginCandidate:
    """What a login needs and nothing more. ``password_hash`` is kept out of ``repr``."""

    id: UUID
    organisation_id: UUID
    role: Role
    active: bool
    password_hash: str = field(repr=False)


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not email or "@" not in email:
        raise ValueError("email must be an address")
    return email


def _check_role(role: str) -> Role:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    return role  # type: ignore[return-value]


def _clinician(row: Any) -> Clinician:
    return Clinician(
        row.id,
        row.organisation_id,
        row.email,
        row.display_name,
        row.role,
        row.pin_set_at,
        row.active,
        row.created_at,
    )


class ClinicianRepository(Repository):
    def create(
        self,
        *,
        email: str,
        display_name: str,
        password_hash: str,
        role: Role = "clinician",
        organisation_id: UUID | None = None,
        clinician_id: UUID | None = None,
    ) -> Clinician:
        """An org admin adds people to their own organisation. Without an identity this is the
        operator bootstrap (first admin of a new organisation), which needs ``organisation_id``.
        """
        if self.identity is not None:
            me = self._admin()
            if organisation_id not in (None, me.organisation_id):
                raise Forbidden("cannot create clinicians in another organisation")
            organisation_id = me.organisation_id
        elif organisation_id is None:
            raise ValueError("organisation_id is required without an identity")
        if not password_hash:
            raise ValueError("password_hash must not be empty")
        clinician = Clinician(
            id=clinician_id or uuid.uuid4(),
            organisation_id=organisation_id,
            email=normalise_email(email),
            display_name=display_name.strip(),
            role=_check_role(role),
            pin_set_at=None,
            active=True,
            created_at=self.clock(),
        )
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    insert(clinicians).values(
                        id=clinician.id,
                        organisation_id=clinician.organisation_id,
                        email=clinician.email,
                        display_name=clinician.display_name,
                        role=clinician.role,
                        password_hash=password_hash,
                        active=True,
                        created_at=clinician.created_at,
                    )
                )
        except IntegrityError as exc:
            raise Conflict("a clinician with this email already exists") from exc
        return clinician

    def get(self, clinician_id: UUID) -> Clinician | None:
        me = self._me()
        row = self.conn.execute(
            select(*_PUBLIC_COLUMNS).where(
                clinicians.c.id == clinician_id,
                clinicians.c.organisation_id == me.organisation_id,
            )
        ).one_or_none()
        return None if row is None else _clinician(row)

    def list(self, *, include_inactive: bool = True) -> list[Clinician]:
        me = self._me()
        stmt = select(*_PUBLIC_COLUMNS).where(clinicians.c.organisation_id == me.organisation_id)
        if not include_inactive:
            stmt = stmt.where(clinicians.c.active.is_(True))
        return [_clinician(r) for r in self.conn.execute(stmt.order_by(clinicians.c.email))]

    def by_email(self, email: str) -> LoginCandidate | None:
        """Pre-authentication lookup for the login form (no identity needed)."""
        email = normalise_email(email)
        if self.is_postgresql:
            fn = func.wc_login_lookup(email).table_valued(
                column("id", Uuid),
                column("organisation_id", Uuid),
                column("role", String),
                column("active", Boolean),
                column("password_hash", Text),
            )
            row = self.conn.execute(select(fn)).one_or_none()
        else:
            row = self.conn.execute(
                select(
                    clinicians.c.id,
                    clinicians.c.organisation_id,
                    clinicians.c.role,
                    clinicians.c.active,
                    clinicians.c.password_hash,
                ).where(clinicians.c.email == email)
            ).one_or_none()
        if row is None:
            return None
        return LoginCandidate(row.id, row.organisation_id, row.role, row.active, row.password_hash)

    def own_pin_hash(self) -> str | None:
        """The caller's own PIN hash (to verify a signature); nobody else's is readable."""
        me = self._me()
        if self.is_postgresql:
            value = self.conn.execute(select(func.wc_own_pin_hash())).scalar_one_or_none()
        else:
            value = self.conn.execute(
                select(clinicians.c.pin_hash).where(
                    clinicians.c.id == me.clinician_id,
                    clinicians.c.organisation_id == me.organisation_id,
                )
            ).scalar_one_or_none()
        return None if value is None else str(value)

    def set_role(self, clinician_id: UUID, role: Role) -> None:
        self._admin()
        self._update(clinician_id, role=_check_role(role))

    def set_pin_hash(self, clinician_id: UUID, pin_hash: str | None) -> None:
        """Set one's own PIN; an org admin may only *clear* someone else's (forcing a reset)."""
        me = self._me()
        if clinician_id != me.clinician_id and not (me.is_org_admin and pin_hash is None):
            raise Forbidden("a PIN is set only by its owner")
        self._update(
            clinician_id, pin_hash=pin_hash, pin_set_at=None if pin_hash is None else self.clock()
        )

    def set_password_hash(self, clinician_id: UUID, password_hash: str) -> None:
        me = self._me()
        if clinician_id != me.clinician_id and not me.is_org_admin:
            raise Forbidden("cannot change another clinician's password")
        if not password_hash:
            raise ValueError("password_hash must not be empty")
        self._update(clinician_id, password_hash=password_hash)

    def set_display_name(self, clinician_id: UUID, display_name: str) -> None:
        me = self._me()
        if clinician_id != me.clinician_id and not me.is_org_admin:
            raise Forbidden("cannot rename another clinician")
        self._update(clinician_id, display_name=display_name.strip())

    def deactivate(self, clinician_id: UUID) -> None:
        self._admin()
        self._update(clinician_id, active=False)

    def reactivate(self, clinician_id: UUID) -> None:
        self._admin()
        self._update(clinician_id, active=True)

    def _update(self, clinician_id: UUID, **values: Any) -> None:
        me = self._me()
        stmt = update(clinicians).where(
            clinicians.c.id == clinician_id,
            clinicians.c.organisation_id == me.organisation_id,
        )
        if not me.is_org_admin:
            stmt = stmt.where(clinicians.c.id == me.clinician_id)
        if self.conn.execute(stmt.values(**values)).rowcount != 1:
            raise NotFound("clinician not found")
