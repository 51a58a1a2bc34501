"""Shared test fixtures: PostgreSQL only (see tests/pg_harness.py).

* ``pg_server`` (session): a reachable PostgreSQL server (``WOUNDCARE_TEST_PG_URL``, else
  127.0.0.1:5432 as ``postgres``, else a throwaway cluster). Skips the test when none can be
  had, or fails it when ``CI=true``.
* ``pg_database`` (session): a throwaway database migrated to head, with its own owner and
  application roles; yields a ``PgDatabase`` (``owner_url``, ``app_url``, ``superuser_url``,
  role names). Dropped at the end of the session.
* ``pg_database_factory`` (function): a context manager ``factory(migrated=False)`` giving a
  fresh ``PgDatabase`` for migration tests; dropped when the block exits.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest

from tests.pg_harness import PgDatabase, PgServer, acquire_server, throwaway_database

_server: PgServer | None = None
_server_tried = False


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    global _server, _server_tried
    if not _server_tried:
        _server_tried = True
        _server = acquire_server()
    if _server is None:
        message = "no PostgreSQL server available (set WOUNDCARE_TEST_PG_URL)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return _server


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _server is not None:
        _server.stop()


@pytest.fixture(scope="session")
def pg_database(pg_server: PgServer) -> Iterator[PgDatabase]:
    with throwaway_database(pg_server, migrated=True) as database:
        yield database


@pytest.fixture
def pg_database_factory(
    pg_server: PgServer,
) -> Callable[..., AbstractContextManager[PgDatabase]]:
    def factory(*, migrated: bool = False) -> AbstractContextManager[PgDatabase]:
        return throwaway_database(pg_server, migrated=migrated)

    return factory
