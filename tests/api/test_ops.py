"""Operations endpoints, the OpenAPI document, the first-start bootstrap and prod refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Api, World
from woundcare.config import Settings
from woundcare.server import InsecureConfiguration, prepare

EXPECTED = {
    ("post", "/api/auth/login"), ("post", "/api/auth/token"), ("post", "/api/auth/logout"),
    ("get", "/api/auth/me"), ("put", "/api/auth/password"), ("put", "/api/auth/pin"),
    ("get", "/api/admin/clinicians"), ("post", "/api/admin/clinicians"),
    ("put", "/api/admin/clinicians/{clinician_id}/role"),
    ("post", "/api/admin/clinicians/{clinician_id}/pin-reset"),
    ("post", "/api/cases/{case_id}/delegations"),
    ("delete", "/api/cases/{case_id}/delegations/{clinician_id}"),
    ("get", "/api/cases"), ("post", "/api/cases"), ("get", "/api/session/{case_id}"),
    ("post", "/api/session/{case_id}/events/{event}"), ("post", "/api/session/{case_id}/bio"),
    ("post", "/api/session/{case_id}/bio/parse"), ("post", "/api/session/{case_id}/consent"),
    ("post", "/api/session/{case_id}/imaging"), ("post", "/api/session/{case_id}/vitals"),
    ("post", "/api/session/{case_id}/time"),
    ("post", "/api/session/{case_id}/follow-ups/{follow_up_id}"),
    ("post", "/api/session/{case_id}/follow-ups/refresh"),
    ("post", "/api/session/{case_id}/review"), ("post", "/api/session/{case_id}/assemble"),
    ("post", "/api/session/{case_id}/sign"), ("post", "/api/session/{case_id}/export"),
    ("post", "/api/session/{case_id}/artifacts"),
    ("get", "/api/session/{case_id}/artifacts/{artifact_id}"),
    ("get", "/api/session/{case_id}/provenance"),
    ("get", "/api/session/{case_id}/provenance/verify"),
    ("get", "/healthz"), ("get", "/readyz"),
}


def test_openapi_lists_every_endpoint(api: Api) -> None:
    document = api.http.get("/openapi.json").json()
    listed = {(method, path) for path, item in document["paths"].items() for method in item}
    assert listed >= EXPECTED


def test_health_readiness_and_metrics(api: Api) -> None:
    assert api.http.get("/healthz").json() == {"status": "ok"}
    ready = api.http.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"database": True, "migrations": True, "keys": True}
    case = api.create_case()
    api.get(f"/api/session/{case['case_id']}")
    assert api.http.get("/metrics").status_code == 404  # its own listener (observability)
    text = api.http.app.state.runtime.metrics.render()
    assert ('woundcare_http_requests_total{method="GET",route="/api/session/{case_id}",'
            'status="200"} 1.0') in text
    assert case["case_id"] not in text


def test_security_headers(api: Api) -> None:
    response = api.get("/api/auth/me")
    assert response.headers["x-content-type-options"] == "nosniff"
    policy = response.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"  # no inline script, no eval, no CDN
    assert "unsafe" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-request-id"]
    cookie = Api(api.http.app).http.post("/api/auth/login", json={
        "email": "alice@example.test", "password": "synthetic-password-1"}).headers["set-cookie"]
    assert cookie.startswith("__Host-woundcare_session=")
    for flag in ("HttpOnly", "Secure", "SameSite=strict", "Path=/"):
        assert flag.lower() in cookie.lower()


def test_first_start_bootstraps_a_demo_login_once(tmp_path: Path) -> None:
    settings = Settings(profile="dev", data_dir=tmp_path, password_hash_fast=True)
    printed: list[str] = []
    prepare(settings, out=printed.append)
    note = "\n".join(printed)
    assert "demo@example.test" in note
    assert "Password" in note
    assert "PIN" in note
    again: list[str] = []
    prepare(settings, out=again.append)
    assert again == []


def test_prod_refuses_insecure_configuration(tmp_path: Path) -> None:
    settings = Settings(profile="prod", data_dir=tmp_path, cookie_secure=False)
    with pytest.raises(InsecureConfiguration) as refused:
        prepare(settings)
    text = str(refused.value)
    for expected in ("FIELD_ENCRYPTION_KEY", "WOUNDCARE_PIN_PEPPER", "COOKIE_SECURE", "SQLite"):
        assert expected in text




@pytest.mark.postgres
def test_prod_refuses_an_application_role_that_could_get_around_rls(
        tmp_path: Path, pg_database: Any) -> None:
    from tests.api.conftest import random_key
    from woundcare.server import check_configuration

    def prod(url: str) -> Settings:
        return Settings(profile="prod", data_dir=tmp_path, database_url=url,
                        field_encryption_key=random_key(), search_hmac_key=random_key(),
                        pin_pepper=random_key(), audit_hmac_key=random_key())

    check_configuration(prod(pg_database.app_url.render_as_string(hide_password=False)))
    with pytest.raises(InsecureConfiguration) as refused:
        check_configuration(prod(pg_database.owner_url.render_as_string(hide_password=False)))
    assert "owns tables" in str(refused.value)
    with pytest.raises(InsecureConfiguration) as unreachable:
        check_configuration(prod("postgresql+psycopg://nobody:x@127.0.0.1:1/none"))
    assert "could not check the role" in str(unreachable.value)


@pytest.mark.postgres
def test_a_lost_database_connection_answers_503_and_the_next_request_works(
        world: World, api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """The database restarts under the server: the request that finds its connection dead is
    answered 503 ``database_unavailable`` with Retry-After (not a 500), changes nothing, and
    the next request runs on a fresh connection."""
    if world.backend.name != "postgresql":
        pytest.skip("the connection pool is PostgreSQL's")
    import psycopg

    from woundcare.storage import database

    monkeypatch.setattr(database, "PING_AFTER_IDLE_S", 3600.0)  # no ping saves it
    assert api.get("/api/cases").status_code == 200
    url = world.backend.url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as killer:
        killer.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                       " WHERE usename = current_user AND pid <> pg_backend_pid()"
                       " AND datname = current_database()")
    lost = api.get("/api/cases")
    assert lost.status_code == 503, lost.text
    assert lost.json()["code"] == "database_unavailable"
    assert lost.headers["Retry-After"] == "1"
    assert api.get("/api/cases").status_code == 200
