"""Row-level security on PostgreSQL, exercised as the application role with raw SQL that
deliberately forgets its WHERE clause, and with attempts to escape the policies.

Cast: A (org 1, owns case 1), B (org 1, colleague, later delegated), ADMIN (org 1 admin),
C (org 2, owns case 2). Every tenant table holds rows of both organisations.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import DBAPIError

from tests.storage.helpers import (
    NOW,
    Target,
    World,
    artifact_row,
    insert_case,
    insert_identities,
    provenance_row,
)
from woundcare.storage import Identity
from woundcare.storage.schema import (
    TENANT_TABLES,
    artifacts,
    audit_events,
    case_delegations,
    cases,
    clinicians,
    idempotency_records,
    login_sessions,
    organisations,
    outbox,
    patients,
    pin_attempts,
    pin_lockouts,
    provenance,
    shred_requests,
    wounds,
)

pytestmark = pytest.mark.postgres

INSUFFICIENT_PRIVILEGE = "42501"  # both "permission denied" and RLS WITH CHECK violations


@dataclass
class Cast:
    w: World
    case2: UUID

    @property
    def everyone(self) -> dict[str, Identity]:
        return {"a": self.w.a, "b": self.w.b, "admin": self.w.admin, "c": self.w.c}


def _personal_rows(target: Target, who: Identity, tag: str) -> None:
    with target.app.unit_of_work(who) as uow:
        uow.sessions.create(
            token_hash=f"tok-{tag}",
            csrf_token_hash="csrf",
            absolute_expires_at=NOW + timedelta(hours=1),
        )
        uow.pin_attempts.record(client_hash="ip", success=False, at=NOW)
        uow.pin_attempts.set_lockout(client_hash="ip", locked_until=NOW)
        uow.idempotency.claim(
            key="k", method="POST", path="/p", request_hash="r", expired_before=NOW
        )
        uow.idempotency.complete("k", status_code=200, case_id=uuid.uuid4(), version=1)
        uow.audit.append(action="login", outcome="ok", at=NOW)


@pytest.fixture
def cast(pg: Target, pg_world: World) -> Cast:
    w = pg_world
    case2 = insert_case(pg.owner, org=w.org2, owner=w.c.clinician_id)
    insert_identities(pg.owner, org=w.org2, by=w.c.clinician_id)
    with pg.owner.engine.begin() as conn:
        conn.execute(insert(provenance).values(**provenance_row(uuid.uuid4(), case2, w.org2, 1)))
        conn.execute(
            insert(artifacts).values(**artifact_row(uuid.uuid4(), case2, w.org2, w.c.clinician_id))
        )
    _personal_rows(pg, w.a, "a")
    _personal_rows(pg, w.c, "c")
    with pg.app.unit_of_work(w.a) as uow:
        uow.audit.append(action="case.read", outcome="ok", case_id=w.case_id, at=NOW)
    with pg.app.unit_of_work(w.c) as uow:
        uow.audit.append(action="case.read", outcome="ok", case_id=case2, at=NOW)
        uow.delegations.grant(case2, w.c.clinician_id)  # org 2 has a delegation row too
    with pg.owner.unit_of_work(None) as uow:  # D: org 1, holds a delegation on case 1
        d = uow.clinicians.create(
            email="d@example.test",
            display_name="Test Clinician D",
            password_hash="h",
            organisation_id=w.org1,
        )
    with pg.app.unit_of_work(w.a) as uow:
        uow.delegations.grant(w.case_id, d.id)
    with pg.owner.engine.begin() as conn:  # hand-off tables (issue 11): a row per organisation
        for org, case, who in ((w.org1, w.case_id, w.a), (w.org2, case2, w.c)):
            conn.execute(insert(outbox).values(**_outbox_row(org, case)))
            conn.execute(insert(shred_requests).values(**_shred_row(org, case, who)))
    return Cast(w, case2)


def _outbox_row(org: UUID, case: UUID) -> dict[str, Any]:
    return {"id": uuid.uuid4(), "organisation_id": org, "case_id": case, "kind": "report",
            "status": "pending", "attempts": 0, "max_attempts": 3, "next_attempt_at": NOW,
            "created_at": NOW, "updated_at": NOW}


def _shred_row(org: UUID, case: UUID, who: Identity) -> dict[str, Any]:
    return {"case_id": case, "organisation_id": org, "requested_by": who.clinician_id,
            "requested_at": NOW, "due_at": NOW, "reason_code": "consent_withdrawn"}


def _org_column(table: str) -> str:
    return "id" if table == "organisations" else "organisation_id"


def _count(target: Target, who: Identity | None, sql: str) -> int:
    with target.app.unit_of_work(who) as uow:
        return int(uow.conn.execute(text(sql)).scalar_one())


def _owner_count(target: Target, sql: str, **params: Any) -> int:
    with target.owner.engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def _sqlstate(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None)


@pytest.fixture
def denied() -> Any:
    """``with denied(): ...`` expects SQLSTATE 42501 (privilege or RLS violation)."""
    import contextlib

    @contextlib.contextmanager
    def _denied() -> Iterator[None]:
        with pytest.raises(DBAPIError) as info:
            yield
        assert _sqlstate(info.value) == INSUFFICIENT_PRIVILEGE, info.value

    return _denied


# --- SELECT -------------------------------------------------------------------------------
@pytest.mark.parametrize("table", TENANT_TABLES)
@pytest.mark.parametrize("who", ["a", "b", "admin", "c"])
def test_unscoped_select_never_returns_foreign_org_rows(
    pg: Target, cast: Cast, table: str, who: str
) -> None:
    identity = cast.everyone[who]
    column = _org_column(table)
    with pg.app.unit_of_work(identity) as uow:
        orgs = set(uow.conn.execute(text(f"SELECT {column} FROM {table}")).scalars())
    assert orgs <= {identity.organisation_id}
    # ...while the owner sees both organisations' rows (the seed is meaningful).
    assert _owner_count(pg, f"SELECT count(DISTINCT {column}) FROM {table}") == 2


@pytest.mark.parametrize("table", TENANT_TABLES)
def test_no_identity_sees_nothing(pg: Target, cast: Cast, table: str) -> None:
    assert _count(pg, None, f"SELECT count(*) FROM {table}") == 0


CASE_DATA = {
    "cases": "SELECT count(*) FROM cases",
    "artifacts": "SELECT count(*) FROM artifacts",
    "provenance": "SELECT count(*) FROM provenance",
    "case_audit": "SELECT count(*) FROM audit_events WHERE case_id IS NOT NULL",
}
PERSONAL = ("login_sessions", "pin_attempts", "pin_lockouts", "idempotency_records")


def test_colleague_sees_case_data_only_while_delegated(pg: Target, cast: Cast) -> None:
    w = cast.w
    assert {k: _count(pg, w.a, q) for k, q in CASE_DATA.items()} == dict.fromkeys(CASE_DATA, 1)
    assert {k: _count(pg, w.b, q) for k, q in CASE_DATA.items()} == dict.fromkeys(CASE_DATA, 0)
    with pg.app.unit_of_work(w.a) as uow:
        uow.delegations.grant(w.case_id, w.b.clinician_id)
    assert {k: _count(pg, w.b, q) for k, q in CASE_DATA.items()} == dict.fromkeys(CASE_DATA, 1)
    # A delegation opens the case, not A's personal rows.
    for table in PERSONAL:
        assert _count(pg, w.b, f"SELECT count(*) FROM {table}") == 0, table
    with pg.app.unit_of_work(w.admin) as uow:
        uow.delegations.revoke(w.case_id, w.b.clinician_id)
    assert {k: _count(pg, w.b, q) for k, q in CASE_DATA.items()} == dict.fromkeys(CASE_DATA, 0)


def test_org_admin_manages_people_not_phi(pg: Target, cast: Cast) -> None:
    w = cast.w
    for key in ("cases", "artifacts", "provenance"):
        assert _count(pg, w.admin, CASE_DATA[key]) == 0, key
    assert _count(pg, w.admin, "SELECT count(*) FROM clinicians") == 4
    assert _count(pg, w.admin, "SELECT count(*) FROM login_sessions") == 1
    assert _count(pg, w.admin, "SELECT count(*) FROM audit_events") == 2  # metadata, no PHI


def test_personal_rows_are_private_to_their_owner(pg: Target, cast: Cast) -> None:
    for table in PERSONAL:
        assert _count(pg, cast.w.a, f"SELECT count(*) FROM {table}") == 1, table
        assert _count(pg, cast.w.b, f"SELECT count(*) FROM {table}") == 0, table


# --- UPDATE -------------------------------------------------------------------------------
UPDATABLE = {
    "organisations": "UPDATE organisations SET name = name RETURNING id",
    "clinicians": "UPDATE clinicians SET display_name = display_name RETURNING organisation_id",
    "cases": "UPDATE cases SET state = 'X' RETURNING organisation_id",
    "artifacts": "UPDATE artifacts SET quality = NULL RETURNING organisation_id",
    "pin_lockouts": "UPDATE pin_lockouts SET locked_until = now() RETURNING organisation_id",
    "login_sessions": "UPDATE login_sessions SET last_seen_at = now() RETURNING organisation_id",
    "idempotency_records": "UPDATE idempotency_records SET version = version "
                           "RETURNING organisation_id",
}
NOT_UPDATABLE = {
    "case_delegations": "UPDATE case_delegations SET created_at = now()",
    "provenance": "UPDATE provenance SET hash = 'x'",
    "patients": "UPDATE patients SET created_at = now()",
    "wounds": "UPDATE wounds SET created_at = now()",
    "audit_events": "UPDATE audit_events SET outcome = 'x'",
    "pin_attempts": "UPDATE pin_attempts SET success = true",
    "idempotency_records": "UPDATE idempotency_records SET request_hash = 'x'",
}


@pytest.mark.parametrize("table", sorted(UPDATABLE))
@pytest.mark.parametrize("who", ["a", "b", "admin", "c"])
def test_unscoped_update_touches_only_visible_own_org_rows(
    pg: Target, cast: Cast, table: str, who: str
) -> None:
    identity = cast.everyone[who]
    with pg.app.unit_of_work(identity) as uow:
        orgs = set(uow.conn.execute(text(UPDATABLE[table])).scalars())
    assert orgs <= {identity.organisation_id}


def test_unscoped_case_update_by_outsiders_changes_nothing(pg: Target, cast: Cast) -> None:
    w = cast.w
    for who in (w.b, w.admin, w.c):
        with pg.app.unit_of_work(who) as uow:
            uow.conn.execute(text("UPDATE cases SET state = 'X'"))
    assert (
        _owner_count(pg, "SELECT count(*) FROM cases WHERE id = :id AND state = 'X'", id=w.case_id)
        == 0
    )
    # C's own case was updated by C, and only that one.
    assert _owner_count(pg, "SELECT count(*) FROM cases WHERE state = 'X'") == 1


@pytest.mark.parametrize("table", sorted(NOT_UPDATABLE))
def test_update_not_granted(pg: Target, cast: Cast, table: str, denied: Any) -> None:
    with denied(), pg.app.unit_of_work(cast.w.a) as uow:
        uow.conn.execute(text(NOT_UPDATABLE[table]))


def test_case_ownership_and_tenant_cannot_be_moved(pg: Target, cast: Cast, denied: Any) -> None:
    w = cast.w
    for sql in (
        "UPDATE cases SET owner_id = :b",
        "UPDATE cases SET organisation_id = :org2",
        "UPDATE cases SET id = gen_random_uuid()",
    ):
        with denied(), pg.app.unit_of_work(w.a) as uow:
            uow.conn.execute(text(sql), {"b": w.b.clinician_id, "org2": w.org2})


def test_clinician_cannot_promote_themselves(pg: Target, cast: Cast, denied: Any) -> None:
    w = cast.w
    with denied(), pg.app.unit_of_work(w.a) as uow:
        uow.conn.execute(
            text("UPDATE clinicians SET role = 'org_admin' WHERE id = :me"),
            {"me": w.a.clinician_id},
        )
    with pg.app.unit_of_work(w.a) as uow:  # and cannot edit a colleague at all
        result = uow.conn.execute(
            text("UPDATE clinicians SET display_name = 'x' WHERE id = :b"),
            {"b": w.b.clinician_id},
        )
        assert result.rowcount == 0


def test_password_and_pin_hashes_are_not_selectable(pg: Target, cast: Cast, denied: Any) -> None:
    for column in ("password_hash", "pin_hash"):
        with denied(), pg.app.unit_of_work(cast.w.admin) as uow:
            uow.conn.execute(text(f"SELECT {column} FROM clinicians"))
    with denied(), pg.app.unit_of_work(cast.w.admin) as uow:
        uow.conn.execute(text("SELECT * FROM clinicians"))


# --- DELETE -------------------------------------------------------------------------------
DELETABLE = ("case_delegations", "artifacts", "pin_lockouts", "idempotency_records",
             "shred_requests")
NOT_DELETABLE = tuple(t for t in TENANT_TABLES if t not in DELETABLE)


@pytest.mark.parametrize("table", DELETABLE)
@pytest.mark.parametrize("who", ["a", "b", "admin", "c"])
def test_unscoped_delete_removes_only_visible_own_org_rows(
    pg: Target, cast: Cast, table: str, who: str
) -> None:
    identity = cast.everyone[who]
    before = _owner_count(
        pg,
        f"SELECT count(*) FROM {table} WHERE organisation_id <> :org",
        org=identity.organisation_id,
    )
    with pg.app.unit_of_work(identity) as uow:
        orgs = set(
            uow.conn.execute(text(f"DELETE FROM {table} RETURNING organisation_id")).scalars()
        )
    assert orgs <= {identity.organisation_id}
    after = _owner_count(
        pg,
        f"SELECT count(*) FROM {table} WHERE organisation_id <> :org",
        org=identity.organisation_id,
    )
    assert after == before > 0


def test_colleague_cannot_delete_the_owners_artifacts(pg: Target, cast: Cast) -> None:
    with pg.app.unit_of_work(cast.w.b) as uow:
        assert uow.conn.execute(text("DELETE FROM artifacts")).rowcount == 0
    assert (
        _owner_count(pg, "SELECT count(*) FROM artifacts WHERE id = :id", id=cast.w.artifact_id)
        == 1
    )


@pytest.mark.parametrize("table", NOT_DELETABLE)
def test_delete_not_granted(pg: Target, cast: Cast, table: str, denied: Any) -> None:
    with denied(), pg.app.unit_of_work(cast.w.a) as uow:  # even A's own rows
        uow.conn.execute(text(f"DELETE FROM {table}"))


@pytest.mark.parametrize("table", ["provenance", "audit_events"])
def test_append_only_tables_cannot_be_changed_even_for_own_case(
    pg: Target, cast: Cast, table: str, denied: Any
) -> None:
    w = cast.w
    for sql in (
        f"UPDATE {table} SET case_id = case_id WHERE case_id = :case",
        f"DELETE FROM {table} WHERE case_id = :case",
        f"TRUNCATE {table}",
    ):
        with denied(), pg.app.unit_of_work(w.a) as uow:
            uow.conn.execute(text(sql), {"case": w.case_id})
    assert _owner_count(pg, f"SELECT count(*) FROM {table} WHERE case_id = :c", c=w.case_id) == 1


# --- INSERT -------------------------------------------------------------------------------
def _foreign_rows(w: World, actor: Identity) -> dict[str, tuple[Any, dict[str, Any]]]:
    """A row per tenant table that ``actor`` must not be able to insert (it belongs to A or
    to org 1's case), keyed by table."""
    org1, a = w.org1, w.a.clinician_id
    return {
        "organisations": (organisations, {"id": uuid.uuid4(), "name": "Test X", "created_at": NOW}),
        "clinicians": (
            clinicians,
            {
                "id": uuid.uuid4(),
                "organisation_id": org1,
                "email": f"x-{uuid.uuid4().hex[:6]}@example.test",
                "display_name": "Test X",
                "role": "org_admin",
                "password_hash": "h",
                "created_at": NOW,
            },
        ),
        "cases": (
            cases,
            {
                "id": uuid.uuid4(),
                "organisation_id": org1,
                "owner_id": a,
                "state": "INTAKE",
                "status": "open",
                "version": 1,
                "consent_data_storage": "granted",
                "visit_number": 1,
                "payload": {},
                "encrypted_fields": {},
                "wrapped_dek": "w",
                "key_version": "v1",
                "created_at": NOW,
                "updated_at": NOW,
            },
        ),
        "case_delegations": (
            case_delegations,
            {
                "case_id": w.case_id,
                "clinician_id": actor.clinician_id,
                "organisation_id": org1,
                "granted_by": actor.clinician_id,
                "created_at": NOW,
            },
        ),
        "artifacts": (artifacts, artifact_row(uuid.uuid4(), w.case_id, org1, actor.clinician_id)),
        "provenance": (provenance, provenance_row(uuid.uuid4(), w.case_id, org1, 99)),
        "audit_events": (
            audit_events,
            {
                "id": uuid.uuid4(),
                "at": NOW,
                "organisation_id": org1,
                "actor_id": a,
                "action": "case.read",
                "outcome": "ok",
            },
        ),
        "pin_attempts": (
            pin_attempts,
            {
                "id": uuid.uuid4(),
                "clinician_id": a,
                "organisation_id": org1,
                "client_hash": "ip",
                "at": NOW,
                "success": True,
            },
        ),
        "pin_lockouts": (
            pin_lockouts,
            {
                "clinician_id": a,
                "client_hash": "ip-x",
                "organisation_id": org1,
                "locked_until": NOW,
            },
        ),
        "login_sessions": (
            login_sessions,
            {
                "id": uuid.uuid4(),
                "token_hash": f"forged-{uuid.uuid4().hex}",
                "clinician_id": a,
                "organisation_id": org1,
                "created_at": NOW,
                "last_seen_at": NOW,
                "absolute_expires_at": NOW,
                "csrf_token_hash": "c",
            },
        ),
        "outbox": (outbox, {**_outbox_row(org1, w.case_id), "kind": "fhir"}),
        "shred_requests": (shred_requests, {**_shred_row(org1, uuid.uuid4(), w.a),
                                            "case_id": w.case_id}),
        "patients": (
            patients,
            {"id": uuid.uuid4(), "organisation_id": org1, "created_by": a, "created_at": NOW},
        ),
        "wounds": (
            wounds,
            {"id": uuid.uuid4(), "organisation_id": org1, "patient_id": w.patient_id,
             "created_by": a, "created_at": NOW},
        ),
        "idempotency_records": (
            idempotency_records,
            {
                "clinician_id": a,
                "key": "forged",
                "organisation_id": org1,
                "method": "POST",
                "path": "/p",
                "request_hash": "r",
                "status_code": 200,
                "created_at": NOW,
            },
        ),
    }


# B (org 1, no admin) inserting a clinician is the next test; every other pair is here.
FORGERY_CASES = [
    (who, table)
    for who in ("b", "c")
    for table in TENANT_TABLES
    if (who, table) != ("b", "clinicians")
]


@pytest.mark.parametrize(("who", "table"), FORGERY_CASES)
def test_cannot_insert_rows_for_someone_else(
    pg: Target, cast: Cast, table: str, who: str, denied: Any
) -> None:
    actor = cast.everyone[who]
    tbl, row = _foreign_rows(cast.w, actor)[table]
    with denied(), pg.app.unit_of_work(actor) as uow:
        uow.conn.execute(insert(tbl).values(**row))


def test_non_admin_cannot_add_clinicians(pg: Target, cast: Cast, denied: Any) -> None:
    tbl, row = _foreign_rows(cast.w, cast.w.b)["clinicians"]
    with denied(), pg.app.unit_of_work(cast.w.b) as uow:
        uow.conn.execute(insert(tbl).values(**row))


def test_delegate_may_append_provenance_to_the_case(pg: Target, cast: Cast) -> None:
    w = cast.w
    with pg.app.unit_of_work(w.a) as uow:
        uow.delegations.grant(w.case_id, w.b.clinician_id)
    with pg.app.unit_of_work(w.b) as uow:
        uow.conn.execute(
            insert(provenance).values(**provenance_row(uuid.uuid4(), w.case_id, w.org1, 2))
        )
    assert _count(pg, w.a, "SELECT count(*) FROM provenance") == 2


# --- escaping the policies ----------------------------------------------------------------
@pytest.mark.parametrize(
    "sql",
    [
        "ALTER TABLE cases DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE cases NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY case_select ON cases",
        "ALTER POLICY case_select ON cases USING (true)",
        "CREATE POLICY sneaky ON cases FOR SELECT USING (true)",
        "ALTER TABLE provenance DISABLE ROW LEVEL SECURITY",
        "DROP POLICY owner_all ON audit_events",
        "CREATE TABLE public.sneaky (id int)",
        "CREATE OR REPLACE FUNCTION public.wc_org_id() RETURNS uuid"
        " LANGUAGE sql AS 'SELECT NULL::uuid'",
    ],
)
def test_app_role_cannot_weaken_security(pg: Target, cast: Cast, sql: str, denied: Any) -> None:
    with denied(), pg.app.unit_of_work(cast.w.a) as uow:
        uow.conn.execute(text(sql))


def test_app_role_cannot_grant_itself_more(pg: Target, cast: Cast, denied: Any) -> None:
    # PostgreSQL only warns ("no privileges were granted"); what matters is the effect.
    with pg.app.unit_of_work(cast.w.a) as uow:
        uow.conn.execute(text("GRANT DELETE ON provenance TO PUBLIC"))
    with denied(), pg.app.unit_of_work(cast.w.a) as uow:
        uow.conn.execute(text("DELETE FROM provenance"))


def test_app_role_cannot_switch_rls_off_or_become_owner(
    pg: Target, cast: Cast, denied: Any
) -> None:
    assert pg.pg is not None
    with denied(), pg.app.unit_of_work(cast.w.c) as uow:
        uow.conn.execute(text("SET LOCAL row_security = off"))
        uow.conn.execute(text("SELECT count(*) FROM cases"))
    with denied(), pg.app.unit_of_work(cast.w.c) as uow:
        uow.conn.execute(text(f'SET ROLE "{pg.pg.owner_role}"'))


# --- SECURITY DEFINER functions -----------------------------------------------------------
def test_login_lookup_returns_only_the_exact_account(pg: Target, cast: Cast) -> None:
    with pg.app.unit_of_work(None) as uow:
        rows = (
            uow.conn.execute(text("SELECT * FROM wc_login_lookup('A@EXAMPLE.TEST')"))
            .mappings()
            .all()
        )
        assert [set(r) for r in rows] == [
            {"id", "organisation_id", "role", "active", "password_hash"}
        ]
        assert rows[0]["id"] == cast.w.a.clinician_id
        for pattern in ("%", "%@example.test", "", "a@example.test' OR '1'='1"):
            found = uow.conn.execute(
                text("SELECT count(*) FROM wc_login_lookup(:e)"), {"e": pattern}
            ).scalar_one()
            assert found == 0, pattern


def test_session_lookup_needs_the_exact_hash(pg: Target, cast: Cast) -> None:
    with pg.app.unit_of_work(None) as uow:
        assert (
            uow.conn.execute(text("SELECT count(*) FROM wc_session_lookup('tok-a')")).scalar_one()
            == 1
        )
        for guess in ("", "%", "tok-%", "TOK-A"):
            got = uow.conn.execute(
                text("SELECT count(*) FROM wc_session_lookup(:h)"), {"h": guess}
            ).scalar_one()
            assert got == 0, guess


def test_own_pin_hash_is_only_ever_ones_own(pg: Target, cast: Cast) -> None:
    w = cast.w
    with pg.app.unit_of_work(w.a) as uow:
        uow.clinicians.set_pin_hash(w.a.clinician_id, "$argon2id$pin-a")
    for who in (w.b, w.admin, w.c, None):
        with pg.app.unit_of_work(who) as uow:
            assert uow.conn.execute(text("SELECT wc_own_pin_hash()")).scalar() is None
    forged = Identity(w.org2, w.a.clinician_id, "clinician")  # right id, wrong org
    with pg.app.unit_of_work(forged) as uow:
        assert uow.conn.execute(text("SELECT wc_own_pin_hash()")).scalar() is None


def test_owns_case_answers_only_for_the_caller(pg: Target, cast: Cast) -> None:
    w = cast.w
    probe = text("SELECT wc_owns_case(:c)")
    with pg.app.unit_of_work(w.a) as uow:
        assert uow.conn.execute(probe, {"c": w.case_id}).scalar() is True
        assert uow.conn.execute(probe, {"c": cast.case2}).scalar() is False
    with pg.app.unit_of_work(w.c) as uow:
        assert uow.conn.execute(probe, {"c": w.case_id}).scalar() is False


def test_preauth_audit_writes_only_identityless_auth_events(
    pg: Target, cast: Cast, denied: Any
) -> None:
    with pg.app.unit_of_work(cast.w.c) as uow:
        event_id = uow.audit.append_preauth(action="auth.login_failed", outcome="denied")
    with pytest.raises(DBAPIError), pg.app.unit_of_work(None) as uow:
        uow.conn.execute(text("SELECT wc_audit_preauth('case.read', 'ok', NULL, NULL, NULL)"))
    with pytest.raises(DBAPIError), pg.app.unit_of_work(None) as uow:
        uow.conn.execute(text("SELECT wc_audit_preauth('auth.x', 'ok', NULL, NULL, '[1]')"))
    with pg.owner.engine.connect() as conn:
        row = conn.execute(select(audit_events).where(audit_events.c.id == event_id)).one()
    assert (row.organisation_id, row.actor_id, row.action) == (None, None, "auth.login_failed")


def test_definer_functions_are_not_public(pg: Target, cast: Cast) -> None:
    with pg.owner.engine.connect() as conn:
        public_exec = (
            conn.execute(
                text(
                    "SELECT p.proname FROM pg_proc p"
                    " WHERE p.prosecdef AND p.pronamespace = 'public'::regnamespace"
                    " AND EXISTS (SELECT 1 FROM"
                    " aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) x"
                    " WHERE x.grantee = 0 AND x.privilege_type = 'EXECUTE')"
                )
            )
            .scalars()
            .all()
        )
    assert public_exec == []
