"""Operations endpoints, the OpenAPI document, the first-start bootstrap and prod refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.conftest import Api
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
    ("get", "/healthz"), ("get", "/readyz"), ("get", "/metrics"),
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
    text = api.http.get("/metrics").text
    assert 'woundcare_http_requests_total{route="/api/session/{case_id}",status="200"} 1' in text
    assert case["case_id"] not in text


def test_security_headers(api: Api) -> None:
    response = api.get("/api/auth/me")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in response.headers["content-security-policy"]
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


