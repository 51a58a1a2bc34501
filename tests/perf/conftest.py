"""The API fixtures (worlds on SQLite and PostgreSQL, a logged-in client) for the perf tests."""

from tests.api.conftest import _pg_backend, api, app, backend, world  # noqa: F401
