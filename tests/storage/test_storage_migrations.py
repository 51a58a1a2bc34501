"""Migrations on both adapters: upgrade from empty, one step down, up again, readiness."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from tests.pg_harness import PgDatabase
from woundcare.storage import migrate
from woundcare.storage.database import create_db_engine
from woundcare.storage.roles import app_role_problems, bootstrap_roles
from woundcare.storage.schema import TENANT_TABLES, metadata

ALL_TABLES = {t.name for t in metadata.sorted_tables}


def _index_names(engine: object, table: str) -> set[str]:
    return {str(ix["name"]) for ix in inspect(engine).get_indexes(table)}


def test_head_is_the_patients_and_wounds_revision() -> None:
    # chain: 0003 idempotency, 0008 search index (issue 14), 0006 outbox (issue 11),
    # 0005 patients and wounds (issue 10)
    assert migrate.head_revision() == "0010"  # 0009: timeline counts; 0010: no rate-limit table
    assert migrate.migrations_dir().is_absolute()


def test_sqlite_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = create_db_engine(url)
    assert migrate.current_revision(engine) is None
    assert not migrate.is_current(engine)

    migrate.upgrade(url)
    assert migrate.is_current(engine)
    assert set(inspect(engine).get_table_names()) >= ALL_TABLES
    assert "ix_audit_events_org_at" in _index_names(engine, "audit_events")

    migrate.downgrade(url, "0001")
    assert migrate.current_revision(engine) == "0001"
    assert not migrate.is_current(engine)
    assert "ix_audit_events_org_at" not in _index_names(engine, "audit_events")
    assert "patients" not in inspect(engine).get_table_names()

    migrate.upgrade(url)
    assert migrate.is_current(engine)

    migrate.downgrade(url, "base")
    assert migrate.current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_migrations_do_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'cwd.db'}"
    migrate.upgrade(url)
    engine = create_db_engine(url)
    assert migrate.is_current(engine)
    engine.dispose()


def test_schema_metadata_matches_migrations(tmp_path: Path) -> None:
    """The frozen revisions and the live schema module describe the same tables/columns."""
    url = f"sqlite:///{tmp_path / 'cmp.db'}"
    migrate.upgrade(url)
    engine = create_db_engine(url)
    insp = inspect(engine)
    for table in metadata.sorted_tables:
        migrated = {c["name"] for c in insp.get_columns(table.name)}
        assert migrated == {c.name for c in table.columns}, table.name
    engine.dispose()


@pytest.mark.postgres
def test_postgres_upgrade_downgrade_upgrade(pg_database_factory) -> None:  # type: ignore[no-untyped-def]
    with pg_database_factory(migrated=False) as pgdb:
        owner = create_db_engine(pgdb.owner_url)
        app = create_db_engine(pgdb.app_url)
        try:
            assert migrate.current_revision(owner) is None
            migrate.upgrade(pgdb.owner_url, app_role=pgdb.app_role)
            assert migrate.is_current(owner)
            assert migrate.is_current(app)  # readiness works as the app role
            assert "ix_audit_events_org_at" in _index_names(owner, "audit_events")

            migrate.downgrade(pgdb.owner_url, "0001", app_role=pgdb.app_role)
            assert migrate.current_revision(owner) == "0001"
            assert "patients" not in inspect(owner).get_table_names()
            assert not migrate.is_current(app)
            assert "ix_audit_events_org_at" not in _index_names(owner, "audit_events")

            migrate.upgrade(pgdb.owner_url, app_role=pgdb.app_role)
            assert migrate.is_current(owner)

            migrate.downgrade(pgdb.owner_url, "base", app_role=pgdb.app_role)
            assert migrate.current_revision(owner) is None
            with owner.connect() as conn:
                leftovers = conn.execute(
                    text("SELECT proname FROM pg_proc WHERE proname LIKE 'wc\\_%'")
                ).all()
            assert leftovers == []
            assert set(inspect(owner).get_table_names()) <= {"alembic_version"}
            migrate.upgrade(pgdb.owner_url, app_role=pgdb.app_role)  # and back from empty
            assert migrate.is_current(app)
        finally:
            owner.dispose()
            app.dispose()


@pytest.mark.postgres
def test_postgres_rls_is_enabled_and_forced_everywhere(pg_database: PgDatabase) -> None:
    engine = create_db_engine(pg_database.owner_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
                " WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"
            )
        ).all()
        flags = {r.relname: (r.relrowsecurity, r.relforcerowsecurity) for r in rows}
        for table in TENANT_TABLES:
            assert flags[table] == (True, True), table
        definers = conn.execute(
            text(
                "SELECT proname, prosecdef, proconfig FROM pg_proc"
                " WHERE proname IN ('wc_login_lookup', 'wc_session_lookup', 'wc_own_pin_hash',"
                " 'wc_audit_preauth', 'wc_owns_case')"
            )
        ).all()
    engine.dispose()
    assert len(definers) == 5
    for d in definers:
        assert d.prosecdef, d.proname
        assert any(c.startswith("search_path=pg_catalog") for c in d.proconfig), d.proname


@pytest.mark.postgres
def test_role_attributes(pg_database: PgDatabase) -> None:
    assert app_role_problems(pg_database.app_url) == []
    assert app_role_problems(pg_database.owner_url) == ["role owns tables"]
    engine = create_db_engine(pg_database.superuser_url)
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT rolsuper, rolbypassrls, pg_has_role(:app, :owner, 'MEMBER') AS member"
                " FROM pg_roles WHERE rolname = :app"
            ),
            {"app": pg_database.app_role, "owner": pg_database.owner_role},
        ).one()
    engine.dispose()
    assert (row.rolsuper, row.rolbypassrls, row.member) == (False, False, False)
    # Idempotent: re-running the bootstrap changes nothing and does not fail.
    bootstrap_roles(pg_database.superuser_url, pg_database.owner_role, pg_database.app_role)
    assert app_role_problems(pg_database.app_url) == []


@pytest.mark.postgres
def test_grants_skipped_when_app_role_missing(pg_database_factory) -> None:  # type: ignore[no-untyped-def]
    with pg_database_factory(migrated=False) as pgdb:
        migrate.upgrade(pgdb.owner_url, app_role="wc_no_such_role")
        engine = create_db_engine(pgdb.superuser_url)
        with engine.connect() as conn:
            allowed = conn.execute(
                text("SELECT has_table_privilege(:r, 'public.cases', 'SELECT')"),
                {"r": pgdb.app_role},
            ).scalar_one()
        engine.dispose()
        assert allowed is False


def test_app_role_name_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    from woundcare.storage.roles import app_role_name

    monkeypatch.delenv("WOUNDCARE_DB_APP_ROLE", raising=False)
    assert app_role_name() == "woundcare_app"
    monkeypatch.setenv("WOUNDCARE_DB_APP_ROLE", "custom_app")
    assert app_role_name() == "custom_app"
    assert os.environ["WOUNDCARE_DB_APP_ROLE"] == "custom_app"


def _backfill_check(url: str, app_role: str | None = None) -> None:
    import uuid

    from tests.storage.helpers import NOW
    from woundcare.storage import Database

    migrate.upgrade(url, "0002", app_role=app_role)
    db = Database(url)
    with db.unit_of_work() as uow:
        org = uow.organisations.create("Test Clinic Backfill").id
        owner = uow.clinicians.create(email="bf@example.test", display_name="Test BF",
                                      password_hash="h", organisation_id=org).id
    first, second, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    sqlite = url.startswith("sqlite")

    def uid(value: uuid.UUID) -> object:
        return value.hex if sqlite else value

    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO cases (id, organisation_id, owner_id, state, status, version, "
            "consent_data_storage, visit_number, previous_case_id, payload, encrypted_fields, "
            "wrapped_dek, key_version, created_at, updated_at) VALUES "
            "(:id, :org, :owner, 'DONE', 'locked', 1, 'granted', :n, :prev, '{}', '{}', 'w', "
            "'v1', :at, :at)"),
            [{"id": uid(first), "org": uid(org), "owner": uid(owner), "n": 1, "prev": None,
              "at": NOW}, {"id": uid(second), "org": uid(org), "owner": uid(owner), "n": 2,
                           "prev": uid(first), "at": NOW.replace(day=9)},
             {"id": uid(other), "org": uid(org), "owner": uid(owner), "n": 1, "prev": None,
              "at": NOW.replace(day=5)}])
        # Provenance for migration 0009's per-state counts (creation is not counted).
        conn.execute(text(
            "INSERT INTO provenance (id, case_id, organisation_id, seq, at, actor_kind, "
            "actor_id, field_path, state, event, prev_hash, hash) VALUES (:id, :case, :org, "
            ":seq, :at, 'person', 'bf', 'patient.age', :state, :event, 'p', 'h')"),
            [{"id": uid(uuid.uuid4()), "case": uid(first), "org": uid(org), "seq": seq,
              "at": NOW, "state": state, "event": event}
             for seq, (state, event) in enumerate([("START", "CREATE"), ("START", None),
                                                    ("BIO_INTAKE", None),
                                                    ("BIO_INTAKE", "BEGIN")])])
    db.dispose()
    migrate.upgrade(url, app_role=app_role)
    engine = create_db_engine(url)
    with engine.connect() as conn:
        rows = {row.id: (row.patient_id, row.wound_id) for row in conn.execute(
            text("SELECT id, patient_id, wound_id FROM cases"))}
        patients_count = conn.execute(text("SELECT count(*) FROM patients")).scalar_one()
        wounds_count = conn.execute(text("SELECT count(*) FROM wounds")).scalar_one()
        counts = {row.id: row.timeline_counts for row in conn.execute(
            text("SELECT id, timeline_counts FROM cases"))}
    engine.dispose()
    timeline = {uuid.UUID(str(k)): v if isinstance(v, dict) else json.loads(v)
                for k, v in counts.items()}
    assert timeline[first] == {"START": 1, "BIO_INTAKE": 2}
    assert timeline[second] == timeline[other] == {}
    by_id = {uuid.UUID(str(k)): v for k, v in rows.items()}
    assert by_id[first] == by_id[second]
    assert None not in by_id[first]
    assert by_id[other][0] != by_id[first][0]
    assert (patients_count, wounds_count) == (2, 2)


def test_existing_visit_chains_get_one_patient_and_wound(tmp_path: Path) -> None:
    """Migration 0005 gives cases made before it identities: a chain of visits linked by
    previous_case_id shares one patient and one wound; an unrelated case gets its own."""
    _backfill_check(f"sqlite:///{tmp_path / 'backfill.db'}")


@pytest.mark.postgres
def test_existing_visit_chains_get_identities_on_postgres(pg_database_factory) -> None:  # type: ignore[no-untyped-def]
    with pg_database_factory(migrated=False) as pgdb:
        _backfill_check(pgdb.owner_url.render_as_string(hide_password=False),
                        app_role=pgdb.app_role)
