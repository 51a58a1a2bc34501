"""The audit trail: who did what to which case, when, with what outcome. Never PHI.

Append-only for the application (PostgreSQL grants no UPDATE/DELETE). ``detail`` is limited
to a flat mapping of short scalars so free text (where PHI hides) has nowhere to go.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Uuid, bindparam, func, insert, null, or_, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB

from woundcare.storage.repositories.base import Repository
from woundcare.storage.repositories.idempotency import COMPLETE_NAMED, Completion
from woundcare.storage.schema import audit_events, case_delegations, cases

MAX_DETAIL_KEYS = 20
MAX_DETAIL_VALUE_CHARS = 200
PREAUTH_ACTION_PREFIX = "auth."

Scalar = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class AuditEvent:
    id: UUID
    at: datetime
    organisation_id: UUID | None
    actor_id: UUID | None
    action: str
    case_id: UUID | None
    agent: str | None
    state: str | None
    consent_flag: str | None
    outcome: str
    request_id: str | None
    client_hash: str | None
    detail: dict[str, Scalar] | None


def check_detail(detail: dict[str, Any] | None) -> dict[str, Scalar] | None:
    """Reject anything but a small flat mapping of short scalars."""
    if detail is None:
        return None
    if len(detail) > MAX_DETAIL_KEYS:
        raise ValueError("audit detail has too many keys")
    for key, value in detail.items():
        if not isinstance(key, str) or len(key) > 64:
            raise ValueError("audit detail keys must be short strings")
        if not isinstance(value, str | int | float | bool | type(None)):
            raise ValueError(f"audit detail {key!r} must be a scalar")
        if isinstance(value, str) and len(value) > MAX_DETAIL_VALUE_CHARS:
            raise ValueError(f"audit detail {key!r} is too long")
    return dict(detail)


def _event(row: Any) -> AuditEvent:
    return AuditEvent(
        row.id,
        row.at,
        row.organisation_id,
        row.actor_id,
        row.action,
        row.case_id,
        row.agent,
        row.state,
        row.consent_flag,
        row.outcome,
        row.request_id,
        row.client_hash,
        row.detail,
    )


_APPEND = insert(audit_events)  # built once; the parameters name the columns
# PostgreSQL: the event and the completion of the write's idempotency key in one statement
# (a data-modifying CTE); parameters prefixed so that no name is a column's.
_APPEND_COMPLETING = (
    insert(audit_events)
    .values({column.name: bindparam(f"a_{column.name}", type_=column.type)
             for column in audit_events.c})
    .add_cte(COMPLETE_NAMED.cte("_completed"))
)


@dataclass(frozen=True, slots=True)
class CaseReadAudit:
    """An audit event for reading one case, to be written by the statement that reads it
    (PostgreSQL: :data:`CASE_READ_OWN` as parameters, the case's id, state and consent flag
    from the row the read finds, in the same statement; nothing is written if the caller may
    not see the case). ``values`` are the event's own columns, from
    :meth:`AuditRepository.case_read`."""

    values: dict[str, Any]

    def params(self) -> dict[str, Any]:
        return {f"a_{name}": value for name, value in self.values.items()}


# What a fused case read writes: the event's own values as parameters, the case's id, state and
# consent flag from the row itself (the same columns record_audit takes from the record).
CASE_READ_OWN = ("id", "at", "organisation_id", "actor_id", "action", "outcome", "request_id",
                 "client_hash")


def case_read_audit_cte(case_row: Any) -> Any:
    """The data-modifying CTE that appends one :class:`CaseReadAudit` event for each row of
    ``case_row`` (a ``SELECT`` of ``cases`` narrowed to one visible case)."""
    own = [bindparam(f"a_{name}", type_=audit_events.c[name].type) for name in CASE_READ_OWN]
    source = case_row.with_only_columns(
        *own, cases.c.id, cases.c.state, cases.c.consent_data_storage)
    return insert(audit_events).from_select(
        [*CASE_READ_OWN, "case_id", "state", "consent_flag"], source).cte("_read_audited")


class AuditRepository(Repository):
    def case_read(self, *, action: str, request_id: str | None,
                  client_hash: str | None) -> CaseReadAudit:
        """The values of a successful read's event, for the read's own statement to write
        (see :class:`CaseReadAudit`; with an identity only)."""
        if self.identity is None:
            raise ValueError("a case read is audited as its reader")
        return CaseReadAudit({
            "id": uuid.uuid4(), "at": self.clock(),
            "organisation_id": self.identity.organisation_id,
            "actor_id": self.identity.clinician_id, "action": action, "outcome": "success",
            "request_id": request_id, "client_hash": client_hash})

    def append(
        self,
        *,
        action: str,
        outcome: str,
        case_id: UUID | None = None,
        agent: str | None = None,
        state: str | None = None,
        consent_flag: str | None = None,
        request_id: str | None = None,
        client_hash: str | None = None,
        detail: dict[str, Any] | None = None,
        at: datetime | None = None,
        completing: Completion | None = None,
    ) -> UUID:
        """Record an event as the identity (organisation and actor come from it, never from
        arguments). Without an identity this is an operator event (PostgreSQL: owner only).
        ``completing``: the write's idempotency key is completed too (PostgreSQL: in the same
        statement)."""
        event_id = uuid.uuid4()
        values = {
            "id": event_id,
            "at": at or self.clock(),
            "organisation_id": None if self.identity is None else self.identity.organisation_id,
            "actor_id": None if self.identity is None else self.identity.clinician_id,
            "action": action,
            "case_id": case_id,
            "agent": agent,
            "state": state,
            "consent_flag": consent_flag,
            "outcome": outcome,
            "request_id": request_id,
            "client_hash": client_hash,
            "detail": check_detail(detail),
        }
        if completing is None:
            self.conn.execute(_APPEND, values)
        elif self.conn.dialect.name == "postgresql":
            self.conn.execute(_APPEND_COMPLETING, {
                **{f"a_{name}": value for name, value in values.items()},
                **completing.params})
        else:  # SQLite has no data-modifying CTEs
            self.conn.execute(_APPEND, values)
            self.conn.execute(COMPLETE_NAMED, completing.params)
        return event_id

    def append_preauth(
        self,
        *,
        action: str,
        outcome: str,
        request_id: str | None = None,
        client_hash: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> UUID:
        """An event with no identity (a failed login). ``action`` must start with ``auth.``.

        On PostgreSQL this goes through a SECURITY DEFINER function that can only write an
        identity-less ``auth.*`` row, stamped with the database clock.
        """
        if not action.startswith(PREAUTH_ACTION_PREFIX):
            raise ValueError("pre-authentication audit actions start with 'auth.'")
        checked = check_detail(detail)
        if not self.is_postgresql:
            event_id = uuid.uuid4()
            self.conn.execute(
                insert(audit_events).values(
                    id=event_id,
                    at=self.clock(),
                    action=action,
                    outcome=outcome,
                    request_id=request_id,
                    client_hash=client_hash,
                    detail=checked,
                )
            )
            return event_id
        fn = func.wc_audit_preauth(
            action,
            outcome,
            request_id,
            client_hash,
            null() if checked is None else type_coerce(checked, JSONB()),
            type_=Uuid,
        )
        return UUID(str(self.conn.execute(select(fn)).scalar_one()))

    def query(
        self,
        *,
        organisation_id: UUID | None = None,
        case_id: UUID | None = None,
        actor_id: UUID | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
    ) -> list[AuditEvent]:
        """Events, newest first.

        With an identity: only the caller's organisation; a clinician sees their own events
        and events on cases they own or hold a delegation for; an org admin sees the whole
        organisation's trail. Without an identity: the operator view (PostgreSQL: connect as
        the owner role; the application role sees nothing).
        """
        stmt = select(audit_events)
        if self.identity is not None:
            me = self.identity
            if organisation_id not in (None, me.organisation_id):
                return []
            stmt = stmt.where(audit_events.c.organisation_id == me.organisation_id)
            if not me.is_org_admin:
                owned = select(cases.c.id).where(
                    cases.c.organisation_id == me.organisation_id,
                    cases.c.owner_id == me.clinician_id,
                )
                delegated = select(case_delegations.c.case_id).where(
                    case_delegations.c.organisation_id == me.organisation_id,
                    case_delegations.c.clinician_id == me.clinician_id,
                )
                stmt = stmt.where(
                    or_(
                        audit_events.c.actor_id == me.clinician_id,
                        audit_events.c.case_id.in_(owned),
                        audit_events.c.case_id.in_(delegated),
                    )
                )
        elif organisation_id is not None:
            stmt = stmt.where(audit_events.c.organisation_id == organisation_id)
        if case_id is not None:
            stmt = stmt.where(audit_events.c.case_id == case_id)
        if actor_id is not None:
            stmt = stmt.where(audit_events.c.actor_id == actor_id)
        if action is not None:
            stmt = stmt.where(audit_events.c.action == action)
        if since is not None:
            stmt = stmt.where(audit_events.c.at >= since)
        if until is not None:
            stmt = stmt.where(audit_events.c.at < until)
        stmt = stmt.order_by(audit_events.c.at.desc(), audit_events.c.id).limit(limit)
        return [_event(r) for r in self.conn.execute(stmt)]
