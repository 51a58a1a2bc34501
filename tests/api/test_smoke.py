from __future__ import annotations

from tests.api.conftest import Api


def test_login_create_snapshot(api: Api) -> None:
    case = api.create_case()
    assert case["state"] == "START"
    snap = api.get(f"/api/session/{case['case_id']}")
    assert snap.status_code == 200, snap.text
    assert snap.headers["etag"] == f'"{case["version"]}"'
    moved = api.fire(case, "BEGIN")
    assert moved["state"] == "BIO_INTAKE"
