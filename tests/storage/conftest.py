"""Storage fixtures: the ``db`` fixture runs the same suite on SQLite and PostgreSQL.

``db`` yields a :class:`Target`: ``app`` is the Database the application would use (on
PostgreSQL: the non-owner application role, under RLS), ``owner`` the operator/bootstrap
Database (on SQLite the same object). ``world`` seeds two organisations, their clinicians and
one case owned by A, with obviously synthetic data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.pg_harness import PgDatabase
from tests.storage.helpers import Target, World, seed_world
from woundcare.storage import Database, migrate
from woundcare.storage.schema import metadata


@pytest.fixture(scope="session")
def _pg_target(pg_database: PgDatabase) -> Iterator[Target]:
    target = Target("postgresql", Database(pg_database.app_url), Database(pg_database.owner_url))
    target.pg = pg_database
    yield target
    target.app.dispose()
    target.owner.dispose()


def _truncate_all(owner: Database) -> None:
    names = ", ".join(t.name for t in metadata.sorted_tables)
    with owner.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'woundcare.db'}"
        migrate.upgrade(url)
        database = Database(url)
        yield Target("sqlite", database, database)
        database.dispose()
        return
    target: Target = request.getfixturevalue("_pg_target")
    _truncate_all(target.owner)
    yield target
    _truncate_all(target.owner)


@pytest.fixture
def pg(request: pytest.FixtureRequest) -> Iterator[Target]:
    """PostgreSQL only (for RLS tests)."""
    target: Target = request.getfixturevalue("_pg_target")
    _truncate_all(target.owner)
    yield target
    _truncate_all(target.owner)


@pytest.fixture
def world(db: Target) -> World:
    return seed_world(db)


@pytest.fixture
def pg_world(pg: Target) -> World:
    return seed_world(pg)
