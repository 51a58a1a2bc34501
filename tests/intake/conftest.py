"""The API fixtures (app on SQLite and PostgreSQL, logged-in client) for intake API tests."""

from tests.api.conftest import _pg_backend, api, app, backend, world  # noqa: F401
