"""Who is asking (:class:`Caller`) and the audit trail writer: actor, action, case, agent,
state, consent flag, outcome, request id and the keyed hash of the client address. Never PHI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from woundcare.domain.record import CaseRecord
from woundcare.logging import get_logger
from woundcare.storage.identity import Identity
from woundcare.storage.repositories.idempotency import Completion
from woundcare.storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:  # the audit repository loads PostgreSQL's dialect: not at start-up
    from woundcare.storage.repositories.audit import CaseReadAudit

log = get_logger("woundcare.audit")


@dataclass(frozen=True)
class Caller:
    """An authenticated request: identity, its session, how it authenticated, from where."""

    identity: Identity
    session_id: UUID
    client_hash: str
    request_id: str | None
    via_cookie: bool = False

    @property
    def clinician_id(self) -> UUID:
        return self.identity.clinician_id


def record_audit(
    uow: UnitOfWork,
    caller: Caller,
    action: str,
    *,
    outcome: str = "success",
    record: CaseRecord | None = None,
    case_id: UUID | None = None,
    agent: str | None = None,
    detail: dict[str, Any] | None = None,
    completing: Completion | None = None,
    written: bool = False,
) -> None:
    """Append one audit event inside ``uow`` (so it commits or rolls back with the work);
    ``completing`` also completes the write's idempotency key (one statement for both).
    ``written``: the statement that read the case already appended it
    (:func:`case_read_audit`); only the log line is left."""
    if record is not None:
        case_id = record.case_id
    state = record.state.value if record is not None else None
    consent = record.consent.data_storage.value if record is not None else None
    if not written:
        uow.audit.append(action=action, outcome=outcome, case_id=case_id, agent=agent,
                         state=state, consent_flag=consent, request_id=caller.request_id,
                         client_hash=caller.client_hash, detail=detail, completing=completing)
    log.info("audit", action=action, outcome=outcome, case_id=str(case_id) if case_id else None,
             agent=agent, state=state, consent_data_storage=consent,
             clinician_id=str(caller.clinician_id))


def case_read_audit(uow: UnitOfWork, caller: Caller, action: str) -> CaseReadAudit:
    """A successful read's event for the statement that reads the case to write (PostgreSQL;
    see :meth:`woundcare.storage.case_repository.SqlCaseStore.load`); then call
    :func:`record_audit` with ``written=True`` for its log line."""
    return uow.audit.case_read(action=action, request_id=caller.request_id,
                               client_hash=caller.client_hash)
