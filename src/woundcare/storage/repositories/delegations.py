"""Case delegations: the owner (or an org admin) lets a colleague in the same organisation
see and work on a case. The composite foreign keys make cross-organisation rows impossible."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.exc import IntegrityError

from woundcare.storage.errors import Conflict, Forbidden, NotFound
from woundcare.storage.repositories.base import Repository
from woundcare.storage.schema import case_delegations, cases, clinicians


@dataclass(frozen=True, slots=True)
class Delegation:
    case_id: UUID
    clinician_id: UUID
    organisation_id: UUID
    granted_by: UUID
    created_at: datetime


class DelegationRepository(Repository):
    def grant(self, case_id: UUID, clinician_id: UUID) -> Delegation:
        me = self._me()
        if not me.is_org_admin:
            self._require_owner(case_id)
        delegate_ok = self.conn.execute(
            # Name the column: the app role may SELECT only some clinician columns.
            select(
                select(clinicians.c.id)
                .where(
                    clinicians.c.id == clinician_id,
                    clinicians.c.organisation_id == me.organisation_id,
                    clinicians.c.active.is_(True),
                )
                .exists()
            )
        ).scalar_one()
        if not delegate_ok:
            raise NotFound("clinician not found")
        delegation = Delegation(
            case_id, clinician_id, me.organisation_id, me.clinician_id, self.clock()
        )
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    insert(case_delegations).values(
                        case_id=case_id,
                        clinician_id=clinician_id,
                        organisation_id=me.organisation_id,
                        granted_by=me.clinician_id,
                        created_at=delegation.created_at,
                    )
                )
        except IntegrityError as exc:
            # Already delegated, or the case is not in the caller's organisation.
            raise Conflict("delegation rejected") from exc
        return delegation

    def revoke(self, case_id: UUID, clinician_id: UUID) -> bool:
        me = self._me()
        if not me.is_org_admin:
            self._require_owner(case_id)
        result = self.conn.execute(
            delete(case_delegations).where(
                case_delegations.c.case_id == case_id,
                case_delegations.c.clinician_id == clinician_id,
                case_delegations.c.organisation_id == me.organisation_id,
            )
        )
        return result.rowcount > 0

    def list_for_case(self, case_id: UUID) -> list[Delegation]:
        """Admins see a case's delegations; clinicians only if they own the case or hold one."""
        me = self._me()
        stmt = select(case_delegations).where(
            case_delegations.c.case_id == case_id,
            case_delegations.c.organisation_id == me.organisation_id,
        )
        if not me.is_org_admin:
            owns = (
                select(cases.c.id)
                .where(
                    cases.c.id == case_delegations.c.case_id,
                    cases.c.organisation_id == me.organisation_id,
                    cases.c.owner_id == me.clinician_id,
                )
                .exists()
            )
            stmt = stmt.where(or_(owns, case_delegations.c.clinician_id == me.clinician_id))
        rows = self.conn.execute(stmt.order_by(case_delegations.c.created_at))
        return [
            Delegation(r.case_id, r.clinician_id, r.organisation_id, r.granted_by, r.created_at)
            for r in rows
        ]

    def delegated_case_ids(self) -> list[UUID]:
        """Cases delegated to the caller (for worklists)."""
        me = self._me()
        rows = self.conn.execute(
            select(case_delegations.c.case_id).where(
                case_delegations.c.clinician_id == me.clinician_id,
                case_delegations.c.organisation_id == me.organisation_id,
            )
        )
        return [r.case_id for r in rows]

    def _require_owner(self, case_id: UUID) -> None:
        me = self._me()
        owns = self.conn.execute(
            select(
                select(cases.c.id)
                .where(
                    cases.c.id == case_id,
                    cases.c.organisation_id == me.organisation_id,
                    cases.c.owner_id == me.clinician_id,
                )
                .exists()
            )
        ).scalar_one()
        if not owns:
            raise Forbidden("only the case owner or an org admin may change delegations")
