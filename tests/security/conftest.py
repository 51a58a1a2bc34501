"""The API fixtures (both stores, two organisations) for the security regression tests."""

from tests.api.conftest import _pg_backend, api, app, backend, world  # noqa: F401
