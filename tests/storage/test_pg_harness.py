"""The test harness can start its own throwaway PostgreSQL cluster from the installed
binaries (for machines without a running server), migrate it and drop it again."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from tests.pg_harness import _find_binaries, _start_throwaway, throwaway_database
from woundcare.storage import Database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_a_throwaway_cluster_starts_migrates_and_stops() -> None:
    if _find_binaries() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL binaries (initdb, pg_ctl) are required under CI=true")
        pytest.skip("PostgreSQL binaries not installed")
    server = _start_throwaway()
    assert server is not None, "initdb/pg_ctl could not start a cluster"
    try:
        assert server.origin == "throwaway"
        with throwaway_database(server) as database:
            app = Database(database.app_url)
            with app.engine.connect() as conn:
                who = conn.execute(sa.text("SELECT current_user")).scalar_one()
                tables = conn.execute(sa.text(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar_one()
            app.dispose()
        assert who == database.app_role
        assert tables >= 10
    finally:
        server.stop()
    with pytest.raises(sa.exc.OperationalError):
        sa.create_engine(server.superuser_url, connect_args={"connect_timeout": 2}).connect()
