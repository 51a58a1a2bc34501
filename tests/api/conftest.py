"""API fixtures: the ASGI app on SQLite and on PostgreSQL (the application role, under RLS),
two organisations with synthetic clinicians, and a small client that knows the contract's
headers (CSRF, If-Match, Idempotency-Key).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import text

from woundcare.api.app import create_app
from woundcare.config import Settings
from woundcare.service.runtime import Runtime, build_runtime
from woundcare.storage import Database, Identity, migrate
from woundcare.storage.schema import metadata

PASSWORD = "synthetic-password-1"
PIN = "246810"
BASE_URL = "https://testserver"


def random_key() -> SecretStr:
    return SecretStr(base64.b64encode(os.urandom(32)).decode())


def test_settings(tmp_path: Path, url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "profile": "dev", "data_dir": tmp_path, "database_url": url,
        "field_encryption_key": random_key(), "field_encryption_key_version": "t1",
        "search_hmac_key": random_key(), "pin_pepper": random_key(),
        "audit_hmac_key": random_key(), "password_hash_fast": True,
        "rate_limit_per_minute": 100_000, "login_max_attempts": 1000,
        "login_max_attempts_per_client": 1000, "bootstrap_demo": False,
        **overrides,
    }
    return Settings.model_validate(values)


@dataclass
class Backend:
    name: str
    url: str
    app: Database
    owner: Database


def _truncate(owner: Database) -> None:
    names = ", ".join(t.name for t in metadata.sorted_tables)
    with owner.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} CASCADE"))


@pytest.fixture(scope="session")
def _pg_backend(pg_database: Any) -> Iterator[Backend]:
    url = pg_database.app_url.render_as_string(hide_password=False)
    backend = Backend("postgresql", url, Database(url), Database(pg_database.owner_url))
    yield backend
    backend.app.dispose()
    backend.owner.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'woundcare.db'}"
        migrate.upgrade(url)
        database = Database(url)
        yield Backend("sqlite", url, database, database)
        database.dispose()
        return
    pg: Backend = request.getfixturevalue("_pg_backend")
    _truncate(pg.owner)
    yield pg
    _truncate(pg.owner)


@dataclass
class Account:
    email: str
    password: str
    clinician_id: UUID
    organisation_id: UUID
    role: str
    pin: str | None

    @property
    def identity(self) -> Identity:
        return Identity(self.organisation_id, self.clinician_id, self.role)  # type: ignore[arg-type]


def make_organisation(runtime: Runtime, owner: Database, name: str, people: list[
        tuple[str, str, str | None]]) -> list[Account]:
    """An organisation and its clinicians: (email, role, pin or None)."""
    accounts: list[Account] = []
    with owner.unit_of_work(None) as uow:
        org = uow.organisations.create(name)
        for email, role, pin in people:
            created = uow.clinicians.create(email=email, display_name=f"Synthetic {role}",
                                            password_hash=runtime.passwords.hash(PASSWORD),
                                            role=role, organisation_id=org.id)  # type: ignore[arg-type]
            accounts.append(Account(email, PASSWORD, created.id, org.id, role, pin))
    for account in accounts:
        if account.pin is not None:
            with runtime.db.unit_of_work(account.identity) as uow:
                uow.clinicians.set_pin_hash(account.clinician_id, runtime.pins.hash(account.pin))
    return accounts


@dataclass
class World:
    runtime: Runtime
    backend: Backend
    alice: Account  # clinician, org A
    admin: Account  # org admin, org A
    bob: Account  # clinician, org A
    mallory: Account  # clinician, org B


def build_world(tmp_path: Path, backend: Backend, **overrides: Any) -> World:
    settings = test_settings(tmp_path, backend.url, **overrides)
    runtime = build_runtime(settings, db=backend.app)
    alice, admin, bob = make_organisation(runtime, backend.owner, "Synthetic Clinic A", [
        ("alice@example.test", "clinician", PIN), ("admin@example.test", "org_admin", None),
        ("bob@example.test", "clinician", "135790")])
    (mallory,) = make_organisation(runtime, backend.owner, "Synthetic Clinic B", [
        ("mallory@example.test", "clinician", "112233")])
    return World(runtime, backend, alice, admin, bob, mallory)


@pytest.fixture
def world(tmp_path: Path, backend: Backend) -> World:
    return build_world(tmp_path, backend)


class Api:
    """A browser-like client: cookie session, CSRF header, If-Match and Idempotency-Key."""

    def __init__(self, app: Any) -> None:
        self.http = TestClient(app, base_url=BASE_URL, raise_server_exceptions=False)
        self.csrf: str | None = None
        self.bearer: str | None = None

    def login(self, account: Account) -> httpx.Response:
        response = self.http.post("/api/auth/login",
                                  json={"email": account.email, "password": account.password})
        assert response.status_code == 200, response.text
        self.csrf = response.json()["csrf_token"]
        return response

    def headers(self, version: int | None = None, key: str | None = None,
                csrf: bool = True) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.bearer:
            headers["Authorization"] = f"Bearer {self.bearer}"
        if csrf and self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        if version is not None:
            headers["If-Match"] = f'"{version}"'
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, headers=self.headers(), **kwargs)

    def post(self, path: str, version: int | None = None, *, key: str | None = None,
             **kwargs: Any) -> httpx.Response:
        extra = kwargs.pop("headers", {})
        return self.http.post(path, headers={**self.headers(version, key), **extra}, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.put(path, headers=self.headers(), **kwargs)

    def create_case(self) -> dict[str, Any]:
        response = self.post("/api/cases", json={})
        assert response.status_code == 201, response.text
        return dict(response.json())

    def step(self, case: dict[str, Any], suffix: str, expect: int = 200,
             **kwargs: Any) -> dict[str, Any]:
        response = self.post(f"/api/session/{case['case_id']}/{suffix}", case["version"],
                             **kwargs)
        assert response.status_code == expect, response.text
        return dict(response.json())

    def fire(self, case: dict[str, Any], event: str, expect: int = 200) -> dict[str, Any]:
        return self.step(case, f"events/{event}", expect)


@pytest.fixture
def app(world: World) -> Any:
    return create_app(world.runtime)


@pytest.fixture
def api(app: Any, world: World) -> Api:
    client = Api(app)
    client.login(world.alice)
    return client
