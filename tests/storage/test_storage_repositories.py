"""The repository suite, run on SQLite and on PostgreSQL (as the application role)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.storage.helpers import NOW, Target, World, insert_case
from woundcare.storage import Conflict, Forbidden, Identity, IdentityRequired, NotFound


# --- unit of work -------------------------------------------------------------------------
def test_unit_of_work_commits_on_success(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.a) as uow:
        uow.audit.append(action="case.read", outcome="ok", case_id=world.case_id)
    with db.app.unit_of_work(world.a) as uow:
        assert len(uow.audit.query(case_id=world.case_id)) == 1


def test_unit_of_work_rolls_back_on_exception(db: Target, world: World) -> None:
    def fail_midway() -> None:
        with db.app.unit_of_work(world.a) as uow:
            uow.audit.append(action="case.read", outcome="ok", case_id=world.case_id)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_midway()
    with db.app.unit_of_work(world.a) as uow:
        assert uow.audit.query(case_id=world.case_id) == []


def test_repositories_are_lazy_and_cached(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.a) as uow:
        assert "clinicians" not in vars(uow)
        assert uow.clinicians is uow.clinicians


def test_tenant_operations_need_an_identity(db: Target, world: World) -> None:
    with db.app.unit_of_work(None) as uow:
        with pytest.raises(IdentityRequired):
            uow.clinicians.list()
        with pytest.raises(IdentityRequired):
            uow.pin_attempts.record(client_hash="h", success=False)


def test_read_only_unit_of_work_reads(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.a, read_only=True) as uow:
        assert uow.clinicians.get(world.a.clinician_id) is not None


# --- organisations ------------------------------------------------------------------------
def test_organisations_get_is_scoped(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.a) as uow:
        org = uow.organisations.get(world.org1)
        assert org is not None
        assert org.name == "Test Clinic Alpha"
        assert uow.organisations.get(world.org2) is None
        with pytest.raises(Forbidden):
            uow.organisations.create("Test Clinic Gamma")


# --- clinicians ---------------------------------------------------------------------------
def test_clinician_create_lowercases_email_and_rejects_duplicates(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.admin) as uow:
        new = uow.clinicians.create(
            email="  New.Person@Example.TEST ", display_name="Test New", password_hash="h"
        )
        assert new.email == "new.person@example.test"
        assert new.organisation_id == world.org1
        with pytest.raises(Conflict):
            uow.clinicians.create(email="C@example.test", display_name="x", password_hash="h")
        # The failed insert did not poison the transaction.
        assert uow.clinicians.get(new.id) is not None


def test_only_admins_create_clinicians_and_only_in_their_org(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.a) as uow, pytest.raises(Forbidden):
        uow.clinicians.create(email="z@example.test", display_name="z", password_hash="h")
    with db.app.unit_of_work(world.admin) as uow, pytest.raises(Forbidden):
        uow.clinicians.create(
            email="z@example.test",
            display_name="z",
            password_hash="h",
            organisation_id=world.org2,
        )


def test_clinician_get_and_list_are_org_scoped(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.a) as uow:
        assert uow.clinicians.get(world.c.clinician_id) is None
        emails = [c.email for c in uow.clinicians.list()]
        assert emails == ["a@example.test", "admin@example.test", "b@example.test"]


def test_by_email_is_preauth_and_hides_hash_in_repr(db: Target, world: World) -> None:
    with db.app.unit_of_work(None) as uow:
        found = uow.clinicians.by_email("A@Example.test")
        assert found is not None
        assert found.id == world.a.clinician_id
        assert found.organisation_id == world.org1
        assert found.password_hash == "$argon2id$test-a"
        assert "argon2" not in repr(found)
        assert uow.clinicians.by_email("nobody@example.test") is None


def test_set_role_and_deactivate_are_admin_only(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.a) as uow:
        with pytest.raises(Forbidden):
            uow.clinicians.set_role(world.a.clinician_id, "org_admin")
        with pytest.raises(Forbidden):
            uow.clinicians.deactivate(world.b.clinician_id)
    with db.app.unit_of_work(world.admin) as uow:
        uow.clinicians.set_role(world.b.clinician_id, "org_admin")
        uow.clinicians.deactivate(world.b.clinician_id)
        b = uow.clinicians.get(world.b.clinician_id)
        assert b is not None
        assert (b.role, b.active) == ("org_admin", False)
        assert [c.email for c in uow.clinicians.list(include_inactive=False)] == [
            "a@example.test",
            "admin@example.test",
        ]
        with pytest.raises(NotFound):  # another organisation's clinician
            uow.clinicians.deactivate(world.c.clinician_id)


def test_pin_hash_own_only_admin_may_clear(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.a) as uow:
        assert uow.clinicians.own_pin_hash() is None
        uow.clinicians.set_pin_hash(world.a.clinician_id, "$argon2id$pin-a")
        assert uow.clinicians.own_pin_hash() == "$argon2id$pin-a"
        me = uow.clinicians.get(world.a.clinician_id)
        assert me is not None
        assert me.has_pin
        with pytest.raises(Forbidden):
            uow.clinicians.set_pin_hash(world.b.clinician_id, "$argon2id$pin-x")
    with db.app.unit_of_work(world.b) as uow:
        assert uow.clinicians.own_pin_hash() is None  # never someone else's
    with db.app.unit_of_work(world.admin) as uow:
        with pytest.raises(Forbidden):
            uow.clinicians.set_pin_hash(world.a.clinician_id, "$argon2id$pin-admin")
        uow.clinicians.set_pin_hash(world.a.clinician_id, None)
    with db.app.unit_of_work(world.a) as uow:
        assert uow.clinicians.own_pin_hash() is None


def test_password_hash_change(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.a) as uow:
        uow.clinicians.set_password_hash(world.a.clinician_id, "$argon2id$new")
        with pytest.raises(Forbidden):
            uow.clinicians.set_password_hash(world.b.clinician_id, "$argon2id$evil")
    with db.app.unit_of_work(None) as uow:
        found = uow.clinicians.by_email("a@example.test")
        assert found is not None
        assert found.password_hash == "$argon2id$new"


# --- delegations --------------------------------------------------------------------------
def test_owner_grants_lists_and_revokes(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.a) as uow:
        d = uow.delegations.grant(world.case_id, world.b.clinician_id)
        assert (d.granted_by, d.organisation_id) == (world.a.clinician_id, world.org1)
        with pytest.raises(Conflict):
            uow.delegations.grant(world.case_id, world.b.clinician_id)
    with db.app.unit_of_work(world.b) as uow:
        assert [x.clinician_id for x in uow.delegations.list_for_case(world.case_id)] == [
            world.b.clinician_id
        ]
        assert uow.delegations.delegated_case_ids() == [world.case_id]
        with pytest.raises(Forbidden):  # a delegate is not the owner
            uow.delegations.revoke(world.case_id, world.b.clinician_id)
    with db.app.unit_of_work(world.a) as uow:
        assert uow.delegations.revoke(world.case_id, world.b.clinician_id) is True
        assert uow.delegations.list_for_case(world.case_id) == []


def test_admin_may_delegate_but_not_across_orgs(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.admin) as uow:
        uow.delegations.grant(world.case_id, world.b.clinician_id)
        assert len(uow.delegations.list_for_case(world.case_id)) == 1
        with pytest.raises(NotFound):
            uow.delegations.grant(world.case_id, world.c.clinician_id)
    case2 = insert_case(db.owner, org=world.org2, owner=world.c.clinician_id)
    with db.app.unit_of_work(world.admin) as uow, pytest.raises(Conflict):
        uow.delegations.grant(case2, world.b.clinician_id)


def test_non_owner_cannot_delegate(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.b) as uow, pytest.raises(Forbidden):
        uow.delegations.grant(world.case_id, world.b.clinician_id)
    with db.app.unit_of_work(world.c) as uow, pytest.raises(Forbidden):
        uow.delegations.grant(world.case_id, world.c.clinician_id)


# --- sessions -----------------------------------------------------------------------------
def _session(db: Target, who: Identity, hashed: str = "tok-hash-a") -> uuid.UUID:
    with db.app.unit_of_work(who) as uow:
        return uow.sessions.create(
            token_hash=hashed,
            csrf_token_hash="csrf-hash",
            absolute_expires_at=NOW + timedelta(hours=12),
            client_hash="client-1",
        ).id


def test_session_lifecycle(db: Target, world: World) -> None:
    sid = _session(db, world.a)
    with db.app.unit_of_work(None) as uow:
        found = uow.sessions.lookup("tok-hash-a")
        assert found is not None
        assert found.session.id == sid
        assert found.identity() == world.a
        assert found.clinician_active
        assert found.session.revoked_at is None
        assert uow.sessions.lookup("other") is None
    later = datetime.now(UTC) + timedelta(minutes=5)
    with db.app.unit_of_work(world.a) as uow:
        uow.sessions.touch(sid, later)
        got = uow.sessions.get(sid)
        assert got is not None
        assert got.last_seen_at == later
        assert uow.sessions.revoke(sid) is True
        assert uow.sessions.revoke(sid) is False
        with pytest.raises(NotFound):
            uow.sessions.touch(sid)
    with db.app.unit_of_work(None) as uow:
        found = uow.sessions.lookup("tok-hash-a")
        assert found is not None
        assert found.session.revoked_at is not None


def test_sessions_are_owner_scoped(db: Target, world: World) -> None:
    sid = _session(db, world.a)
    with db.app.unit_of_work(world.b) as uow:
        assert uow.sessions.get(sid) is None
        assert uow.sessions.revoke(sid) is False
        with pytest.raises(NotFound):
            uow.sessions.touch(sid)
        with pytest.raises(Forbidden):
            uow.sessions.revoke_all_for_clinician(world.a.clinician_id)
    with db.app.unit_of_work(world.c) as uow, pytest.raises(Forbidden):
        uow.sessions.revoke_all_for_clinician(world.a.clinician_id)


def test_revoke_all_own_and_by_admin(db: Target, world: World) -> None:
    _session(db, world.a, "t1")
    _session(db, world.a, "t2")
    _session(db, world.b, "t3")
    with db.app.unit_of_work(world.a) as uow:
        assert uow.sessions.revoke_all_for_clinician(world.a.clinician_id) == 2
    with db.app.unit_of_work(world.admin) as uow:
        assert uow.sessions.revoke_all_for_clinician(world.b.clinician_id) == 1
    other_admin = Identity(world.org2, world.c.clinician_id, "org_admin")
    _session(db, world.a, "t4")
    with db.app.unit_of_work(other_admin) as uow:
        assert uow.sessions.revoke_all_for_clinician(world.a.clinician_id) == 0


# --- PIN attempts and lockouts ------------------------------------------------------------
def test_pin_failures_counted_per_clinician_and_client(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.a) as uow:
        for minutes in (1, 2, 20):
            uow.pin_attempts.record(
                client_hash="ip-1", success=False, at=NOW - timedelta(minutes=minutes)
            )
        uow.pin_attempts.record(client_hash="ip-1", success=True,
                                at=NOW - timedelta(minutes=10))
        uow.pin_attempts.record(client_hash="ip-2", success=False, at=NOW)
    with db.app.unit_of_work(world.b) as uow:
        uow.pin_attempts.record(client_hash="ip-1", success=False, at=NOW)
    window = NOW - timedelta(minutes=15)
    with db.app.unit_of_work(world.a) as uow:
        assert uow.pin_attempts.count_failures(client_hash="ip-1", since=window) == 2
        assert uow.pin_attempts.count_failures(client_hash="ip-2", since=window) == 1
    with db.app.unit_of_work(world.b) as uow:
        assert uow.pin_attempts.count_failures(client_hash="ip-1", since=window) == 1


def test_a_successful_pin_starts_the_failure_count_again(db: Target, world: World) -> None:
    window = NOW - timedelta(minutes=15)
    with db.app.unit_of_work(world.a) as uow:
        for minutes in (9, 8, 7):
            uow.pin_attempts.record(client_hash="ip-9", success=False,
                                    at=NOW - timedelta(minutes=minutes))
        assert uow.pin_attempts.count_failures(client_hash="ip-9", since=window) == 3
        uow.pin_attempts.record(client_hash="ip-9", success=True,
                                at=NOW - timedelta(minutes=5))
        assert uow.pin_attempts.count_failures(client_hash="ip-9", since=window) == 0
        uow.pin_attempts.record(client_hash="ip-9", success=False,
                                at=NOW - timedelta(minutes=1))
        assert uow.pin_attempts.count_failures(client_hash="ip-9", since=window) == 1


def test_lockouts(db: Target, world: World) -> None:
    until = NOW + timedelta(minutes=15)
    with db.app.unit_of_work(world.a) as uow:
        assert uow.pin_attempts.get_lockout(client_hash="ip-1") is None
        uow.pin_attempts.set_lockout(client_hash="ip-1", locked_until=NOW)
        uow.pin_attempts.set_lockout(client_hash="ip-1", locked_until=until)  # upsert
        assert uow.pin_attempts.get_lockout(client_hash="ip-1") == until
    with db.app.unit_of_work(world.b) as uow:
        assert uow.pin_attempts.get_lockout(client_hash="ip-1") is None
        with pytest.raises(Forbidden):
            uow.pin_attempts.clear_lockout(clinician_id=world.a.clinician_id)
    with db.app.unit_of_work(world.c) as uow:
        assert uow.pin_attempts.clear_lockout(client_hash="ip-1") == 0
    with db.app.unit_of_work(world.admin) as uow:
        assert uow.pin_attempts.clear_lockout(clinician_id=world.a.clinician_id) == 1
    with db.app.unit_of_work(world.a) as uow:
        assert uow.pin_attempts.get_lockout(client_hash="ip-1") is None


# --- audit --------------------------------------------------------------------------------
def test_audit_append_and_scoped_query(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.a) as uow:
        uow.audit.append(
            action="case.read",
            outcome="ok",
            case_id=world.case_id,
            agent="review",
            state="INTAKE",
            consent_flag="granted",
            request_id="req-1",
            detail={"fields": 3},
            at=NOW,
        )
    with db.app.unit_of_work(world.b) as uow:
        uow.audit.append(action="login", outcome="ok", at=NOW + timedelta(seconds=1))
        # B sees own events, not A's events on a case B cannot see.
        assert [e.action for e in uow.audit.query()] == ["login"]
    with db.app.unit_of_work(world.c) as uow:
        uow.audit.append(action="case.read", outcome="denied", case_id=world.case_id, at=NOW)
        assert [e.outcome for e in uow.audit.query()] == ["denied"]
        assert uow.audit.query(organisation_id=world.org1) == []
    with db.app.unit_of_work(world.a) as uow:
        events = uow.audit.query(case_id=world.case_id)
        assert [(e.actor_id, e.organisation_id) for e in events] == [
            (world.a.clinician_id, world.org1)
        ]
        assert events[0].detail == {"fields": 3}
        assert events[0].at == NOW
    with db.app.unit_of_work(world.admin) as uow:
        assert {e.action for e in uow.audit.query()} == {"case.read", "login"}
        assert len(uow.audit.query(since=NOW + timedelta(seconds=1))) == 1
        assert len(uow.audit.query(until=NOW + timedelta(seconds=1))) == 1
        assert len(uow.audit.query(actor_id=world.b.clinician_id)) == 1


def test_delegate_sees_case_audit(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.a) as uow:
        uow.audit.append(action="case.read", outcome="ok", case_id=world.case_id)
        uow.delegations.grant(world.case_id, world.b.clinician_id)
    with db.app.unit_of_work(world.b) as uow:
        assert len(uow.audit.query(case_id=world.case_id)) == 1


def test_audit_detail_must_be_flat_scalars(db: Target, world: World) -> None:
    with db.app.unit_of_work(world.a) as uow:
        with pytest.raises(ValueError, match="scalar"):
            uow.audit.append(action="x", outcome="ok", detail={"note": {"name": "x"}})
        with pytest.raises(ValueError, match="too long"):
            uow.audit.append(action="x", outcome="ok", detail={"note": "x" * 500})


def test_preauth_audit_and_operator_query(db: Target, world: World) -> None:
    with db.app.unit_of_work(None) as uow:
        event_id = uow.audit.append_preauth(
            action="auth.login_failed", outcome="denied", client_hash="c1", detail={"n": 1}
        )
        with pytest.raises(ValueError, match="auth"):
            uow.audit.append_preauth(action="case.read", outcome="ok")
    with db.owner.unit_of_work(None) as uow:  # the operator view
        events = uow.audit.query(action="auth.login_failed")
        assert [(e.id, e.organisation_id, e.actor_id) for e in events] == [(event_id, None, None)]
        uow.audit.append(action="operator.check", outcome="ok")
    with db.app.unit_of_work(world.admin) as uow:  # identity-less events are not tenant data
        assert uow.audit.query(action="auth.login_failed") == []


# --- idempotency --------------------------------------------------------------------------
def test_idempotency_first_claim_wins_and_is_per_clinician(db: Target, world: World) -> None:
    case_id = uuid.uuid4()
    with db.app.unit_of_work(world.a) as uow:
        assert uow.idempotency.get("k1") is None
        assert uow.idempotency.claim(key="k1", method="POST", path="/api/cases",
                                     request_hash="r1", expired_before=NOW - timedelta(days=1))
        assert not uow.idempotency.get("k1").completed  # type: ignore[union-attr]
        uow.idempotency.complete("k1", status_code=201, case_id=case_id, version=3)
        assert not uow.idempotency.claim(key="k1", method="POST", path="/api/cases",
                                         request_hash="r2",
                                         expired_before=NOW - timedelta(days=1))
        stored = uow.idempotency.get("k1")
        assert stored is not None
        assert (stored.request_hash, stored.status_code, stored.case_id, stored.version) == (
            "r1", 201, case_id, 3)
        assert not hasattr(stored, "response_body")  # nothing of the response is kept
    with db.app.unit_of_work(world.b) as uow:
        assert uow.idempotency.get("k1") is None
        assert uow.idempotency.claim(key="k1", method="POST", path="/p", request_hash="rb",
                                     expired_before=NOW - timedelta(days=1))
