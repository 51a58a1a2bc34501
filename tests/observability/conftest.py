"""The API fixtures (both stores, synthetic organisations), shared with tests/api."""

from tests.api.conftest import _pg_backend, api, app, backend, world  # noqa: F401
