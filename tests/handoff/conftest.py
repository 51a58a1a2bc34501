"""The API fixtures (backends, organisations, a logged-in client) shared with tests/api."""

from tests.api.conftest import _pg_backend, api, app, backend, world  # noqa: F401
