"""Organisation administration: people and roles (org admins, own organisation only), PIN
resets, and case delegations (the case owner or an org admin). Admins manage people, not
other clinicians' PHI: nothing here reads a case record."""

from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

from woundcare.domain.errors import CaseNotFound
from woundcare.domain.problems import FieldProblem
from woundcare.logging import get_logger
from woundcare.service.audit import Caller, record_audit
from woundcare.service.auth import clinician_view
from woundcare.service.errors import ApiError, forbidden, not_found, too_many
from woundcare.service.ratelimit import RateLimiter
from woundcare.service.runtime import Runtime
from woundcare.storage.case_repository import SqlCaseStore
from woundcare.storage.errors import Conflict, Forbidden, NotFound
from woundcare.storage.identity import Role

log = get_logger("woundcare.admin")
INVITES_PER_HOUR = 30


def _can_see(store: SqlCaseStore, case_id: UUID) -> bool:
    try:
        store.data_key(case_id)
    except CaseNotFound:
        return False
    return True


def temporary_password() -> str:
    return secrets.token_urlsafe(12)


class AdminService:
    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime

    @staticmethod
    def _require_admin(caller: Caller) -> None:
        if not caller.identity.is_org_admin:
            raise forbidden("This needs the organisation administrator role.", "role_insufficient")

    def list_clinicians(self, caller: Caller) -> list[dict[str, Any]]:
        self._require_admin(caller)
        with self.rt.db.unit_of_work(caller.identity, read_only=True) as uow:
            return [clinician_view(c) for c in uow.clinicians.list()]

    def create_clinician(self, caller: Caller, email: str, display_name: str,
                         role: Role) -> dict[str, Any]:
        """Add a clinician. An address already in use - in this organisation or in any other
        - gets the same neutral ``409 email_unavailable`` (it no longer says "taken", and never
        which organisation); invitations are rate-limited per administrator so probing for
        addresses elsewhere is slow, and every refusal is audited."""
        self._require_admin(caller)
        retry = RateLimiter(self.rt).hit(f"invite:{caller.clinician_id}", INVITES_PER_HOUR,
                                         3600)
        if retry is not None:
            raise too_many(retry, "invite_rate_limited",
                           "Too many invitations in a short time; wait a while.")
        password = temporary_password()
        try:
            with self.rt.db.unit_of_work(caller.identity) as uow:
                created = uow.clinicians.create(email=email, display_name=display_name,
                                                password_hash=self.rt.passwords.hash(password),
                                                role=role)
                record_audit(uow, caller, "admin.clinician.create",
                             detail={"clinician_id": str(created.id), "role": role})
        except Conflict:
            with self.rt.db.unit_of_work(caller.identity) as uow:
                record_audit(uow, caller, "admin.clinician.create", outcome="refused",
                             detail={"code": "email_unavailable"})
            raise ApiError(409, "email_unavailable",
                           "This e-mail address cannot be used for a new account. If the "
                           "person already works here, find them in the list of clinicians; "
                           "otherwise ask for another work address.",
                           errors=[FieldProblem(path="email", code="email_unavailable",
                                                message="This address cannot be used.")]
                           ) from None
        return {"clinician": clinician_view(created), "temporary_password": password}

    def set_role(self, caller: Caller, clinician_id: UUID, role: Role) -> dict[str, Any]:
        self._require_admin(caller)
        if clinician_id == caller.clinician_id and role != "org_admin":
            raise ApiError(422, "cannot_demote_self",
                           "You cannot remove your own administrator role; ask another "
                           "administrator.")
        try:
            with self.rt.db.unit_of_work(caller.identity) as uow:
                uow.clinicians.set_role(clinician_id, role)
                clinician = uow.clinicians.get(clinician_id)
                record_audit(uow, caller, "admin.clinician.role",
                             detail={"clinician_id": str(clinician_id), "role": role})
        except NotFound:
            raise not_found("clinician") from None
        assert clinician is not None
        return clinician_view(clinician)

    def reset_pin(self, caller: Caller, clinician_id: UUID) -> None:
        self._require_admin(caller)
        try:
            with self.rt.db.unit_of_work(caller.identity) as uow:
                uow.clinicians.set_pin_hash(clinician_id, None)
                uow.pin_attempts.clear_lockout(clinician_id=clinician_id)
                record_audit(uow, caller, "admin.pin_reset",
                             detail={"clinician_id": str(clinician_id)})
        except NotFound:
            raise not_found("clinician") from None

    def revoke_sessions(self, caller: Caller, clinician_id: UUID) -> int:
        """Log a clinician out everywhere (a lost device, a suspected compromise)."""
        self._require_admin(caller)
        with self.rt.db.unit_of_work(caller.identity) as uow:
            if uow.clinicians.get(clinician_id) is None:
                raise not_found("clinician")
            revoked = uow.sessions.revoke_all_for_clinician(clinician_id)
            record_audit(uow, caller, "admin.sessions_revoked",
                         detail={"clinician_id": str(clinician_id), "sessions": revoked})
        return revoked

    # ------------------------------------------------------------------ delegations

    def delegate(self, caller: Caller, case_id: UUID, clinician_id: UUID, *,
                 reason: str | None = None) -> dict[str, Any]:
        """Let a colleague work on a case. An org admin granting a case to themselves that
        they cannot already see is break-glass: a reason code is required, the grant is
        audited as ``case.break_glass`` on the case and counted (an alert watches it)."""
        break_glass = False
        try:
            with self.rt.db.unit_of_work(caller.identity) as uow:
                store = SqlCaseStore(uow.conn, caller.identity, self.rt.keys)
                if not caller.identity.is_org_admin:
                    store.data_key(case_id)
                elif clinician_id == caller.clinician_id and not _can_see(store, case_id):
                    break_glass = True
                    if reason is None:
                        raise ApiError(422, "break_glass_reason_required",
                                       "Opening a case you are not on is a break-glass "
                                       "access: choose a reason.", errors=[FieldProblem(
                                           path="reason", code="break_glass_reason_required",
                                           message="Choose a reason for break-glass access.")])
                existing = [d for d in uow.delegations.list_for_case(case_id)
                            if d.clinician_id == clinician_id]
                delegation = existing[0] if existing else uow.delegations.grant(case_id,
                                                                                clinician_id)
                record_audit(uow, caller, "case.break_glass" if break_glass else "case.delegate",
                             case_id=case_id,
                             detail={"clinician_id": str(clinician_id), "reason": reason}
                             if break_glass else {"clinician_id": str(clinician_id)})
        except (CaseNotFound, Conflict):
            raise not_found() from None
        except NotFound:
            raise not_found("clinician") from None
        except Forbidden:
            raise forbidden("Only the case owner or an organisation administrator can "
                            "delegate a case.", "not_case_owner") from None
        if break_glass:
            self.rt.metrics.count("break_glass")
            log.warning("case.break_glass", case_id=str(case_id), reason=reason,
                        clinician_id=str(caller.clinician_id))
        return {"case_id": str(delegation.case_id),
                "clinician_id": str(delegation.clinician_id),
                "granted_by": str(delegation.granted_by),
                "created_at": delegation.created_at.isoformat()}

    def undelegate(self, caller: Caller, case_id: UUID, clinician_id: UUID) -> None:
        try:
            with self.rt.db.unit_of_work(caller.identity) as uow:
                if not caller.identity.is_org_admin:
                    SqlCaseStore(uow.conn, caller.identity, self.rt.keys).data_key(case_id)
                if not uow.delegations.revoke(case_id, clinician_id):
                    raise not_found("delegation")
                record_audit(uow, caller, "case.undelegate", case_id=case_id,
                             detail={"clinician_id": str(clinician_id)})
        except CaseNotFound:
            raise not_found() from None
        except Forbidden:
            raise forbidden("Only the case owner or an organisation administrator can "
                            "change delegations.", "not_case_owner") from None
