"""The Database handle: URLs, SQLite pragmas, identity hand-over, timestamp handling."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import insert, select, text

from tests.storage.helpers import Target, World
from woundcare.storage import Database, Identity
from woundcare.storage.database import default_sqlite_url, normalise_url
from woundcare.storage.schema import organisations


def test_default_sqlite_url_lives_under_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "nested" / "data"
    url = default_sqlite_url(data_dir)
    assert url == f"sqlite:///{data_dir.resolve()}/woundcare.db"
    assert data_dir.is_dir()
    assert data_dir.stat().st_mode & 0o077 == 0


def test_from_settings_uses_sqlite_default(tmp_path: Path) -> None:
    db = Database.from_settings(SimpleNamespace(database_url="", data_dir=tmp_path))
    assert db.dialect == "sqlite"
    assert str(db.engine.url).endswith("woundcare.db")
    db.dispose()


def test_normalise_url_uses_psycopg3() -> None:
    assert normalise_url("postgres://u@h/d").drivername == "postgresql+psycopg"
    assert normalise_url("postgresql://u@h/d").drivername == "postgresql+psycopg"
    with pytest.raises(ValueError, match="unsupported"):
        normalise_url("mysql://u@h/d")


def test_repr_hides_password() -> None:
    db = Database("postgresql://user:s3cret-test@127.0.0.1:1/x")
    assert "s3cret-test" not in repr(db)
    db.dispose()


def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'p.db'}")
    with db.unit_of_work() as uow:
        assert uow.conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert uow.conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert uow.conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    db.dispose()


def test_identity_rejects_unknown_role() -> None:
    with pytest.raises(ValueError, match="role"):
        Identity(uuid.uuid4(), uuid.uuid4(), "superuser")  # type: ignore[arg-type]


def test_naive_datetimes_are_rejected(db: Target) -> None:
    with pytest.raises(Exception, match="naive"), db.owner.unit_of_work() as uow:
        uow.conn.execute(
            insert(organisations).values(
                id=uuid.uuid4(), name="Test Clinic Naive", created_at=datetime(2025, 1, 1)
            )
        )


def test_timestamps_come_back_aware_utc(db: Target, world: World) -> None:
    with db.owner.unit_of_work() as uow:
        created = uow.conn.execute(select(organisations.c.created_at)).scalars().all()
    assert created
    assert all(ts.tzinfo is not None and ts.utcoffset().total_seconds() == 0 for ts in created)


def test_foreign_keys_enforced(db: Target) -> None:
    from sqlalchemy.exc import IntegrityError

    from tests.storage.helpers import NOW
    from woundcare.storage.schema import clinicians

    with pytest.raises(IntegrityError), db.owner.unit_of_work() as uow:
        uow.conn.execute(
            insert(clinicians).values(
                id=uuid.uuid4(),
                organisation_id=uuid.uuid4(),
                email="orphan@example.test",
                display_name="Test Orphan",
                role="clinician",
                password_hash="h",
                created_at=NOW,
            )
        )


@pytest.mark.postgres
def test_identity_reaches_postgres_per_transaction_only(pg: Target, pg_world: World) -> None:
    query = text(
        "SELECT current_setting('woundcare.org_id', true), "
        "current_setting('woundcare.clinician_id', true), current_setting('woundcare.role', true)"
    )
    with pg.app.unit_of_work(pg_world.admin) as uow:
        assert uow.conn.execute(query).one() == (
            str(pg_world.org1),
            str(pg_world.admin.clinician_id),
            "org_admin",
        )
    # Same pool, next transaction, no identity: nothing left over.
    with pg.app.engine.connect() as conn:
        values = conn.execute(query).one()
    assert all(v in (None, "") for v in values)
    with pg.app.unit_of_work(None) as uow:
        assert uow.conn.execute(query).one() == ("", "", "")


@pytest.mark.postgres
def test_read_only_unit_of_work_is_read_only_on_postgres(pg: Target, pg_world: World) -> None:
    from sqlalchemy.exc import InternalError

    with pytest.raises(InternalError), pg.app.unit_of_work(pg_world.a, read_only=True) as uow:
        uow.audit.append(action="x", outcome="ok")


def _backend_pid(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def _terminate(owner: Database, pid: int) -> None:
    with owner.engine.connect() as conn:
        conn.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
        conn.commit()


@pytest.mark.postgres
def test_an_idle_pooled_connection_is_pinged_and_replaced_when_dead(
        pg: Target, monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``SELECT 1`` on every checkout: only a connection idle past the threshold is pinged,
    and a dead one is replaced before the request sees it."""
    from woundcare.storage import database

    assert pg.pg is not None
    engine = database.create_db_engine(pg.pg.app_url, pool_size=1, max_overflow=0)
    try:
        first = _backend_pid(engine)
        _terminate(pg.app, first)
        monkeypatch.setattr(database, "PING_AFTER_IDLE_S", 0.0)
        second = _backend_pid(engine)  # pinged, found dead, reconnected: no error
        assert second != first
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_connection_in_steady_use_is_not_pinged(
        pg: Target, monkeypatch: pytest.MonkeyPatch) -> None:
    """Below the idle threshold the checkout sends nothing: a connection killed meanwhile
    fails its request once (as it would have mid-transaction), and the pool then recovers."""
    from sqlalchemy.exc import DBAPIError

    from woundcare.storage import database

    assert pg.pg is not None
    monkeypatch.setattr(database, "PING_AFTER_IDLE_S", 3600.0)
    engine = database.create_db_engine(pg.pg.app_url, pool_size=1, max_overflow=0)
    try:
        first = _backend_pid(engine)
        _terminate(pg.app, first)
        with pytest.raises(DBAPIError) as caught:
            _backend_pid(engine)
        assert caught.value.connection_invalidated
        assert _backend_pid(engine) != first  # the pool replaced it
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_lost_connection_is_unavailable_not_an_internal_error(
        pg: Target, monkeypatch: pytest.MonkeyPatch) -> None:
    """A unit of work whose connection died answers ``Unavailable`` (the API's 503
    ``database_unavailable``), and the next unit of work runs on a fresh connection."""
    from woundcare.storage import database
    from woundcare.storage.errors import Unavailable

    assert pg.pg is not None
    monkeypatch.setattr(database, "PING_AFTER_IDLE_S", 3600.0)
    db = Database(pg.pg.app_url, pool_size=1, max_overflow=0)
    try:
        with db.unit_of_work() as uow:
            pid = int(uow.conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
        _terminate(pg.app, pid)
        with pytest.raises(Unavailable), db.unit_of_work() as uow:
            uow.conn.exec_driver_sql("SELECT 1")
        with db.unit_of_work() as uow:
            assert uow.conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() != pid
    finally:
        db.dispose()
