"""The reads behind the console's administration area, on SQLite and PostgreSQL: the
organisation's delegations and its audit trail with filters, for org admins only."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, World


def _admin(app: Any, world: World) -> Api:
    client = Api(app)
    client.login(world.admin)
    return client


def test_admin_reads_delegations_and_a_filtered_audit_trail(api: Api, app: Any,
                                                             world: World) -> None:
    case = api.fire(api.create_case(), "BEGIN")
    res = api.post(f"/api/cases/{case['case_id']}/delegations",
                   json={"clinician_id": str(world.bob.clinician_id)})
    assert res.status_code == 201, res.text
    admin = _admin(app, world)
    delegations = admin.get("/api/admin/delegations").json()["items"]
    assert [(d["case_id"], d["clinician_id"]) for d in delegations] == [
        (case["case_id"], str(world.bob.clinician_id))]

    trail = admin.get("/api/admin/audit", params={"limit": 200}).json()
    actions = {e["action"] for e in trail["items"]}
    assert {"case.create", "case.event", "case.delegate"} <= actions
    mine = admin.get("/api/admin/audit", params={
        "actor_id": str(world.alice.clinician_id), "action": "case.delegate"}).json()
    assert [e["case_id"] for e in mine["items"]] == [case["case_id"]]
    assert all(e["actor_id"] == str(world.alice.clinician_id) for e in mine["items"])
    by_case = admin.get("/api/admin/audit", params={"case_id": case["case_id"]}).json()
    assert by_case["items"]
    assert all(e["case_id"] == case["case_id"] for e in by_case["items"])
    alice = {"actor_id": str(world.alice.clinician_id), "limit": 2}
    first = admin.get("/api/admin/audit", params=alice).json()
    second = admin.get("/api/admin/audit", params={**alice, "offset": 2}).json()
    assert first["has_more"] is True
    assert {e["id"] for e in first["items"]}.isdisjoint({e["id"] for e in second["items"]})
    assert admin.get("/api/admin/audit", params={"outcome": "maybe"}).status_code == 422
    assert admin.get("/api/admin/audit", params={"action": "DROP TABLE"}).status_code == 422
    # Log a clinician out everywhere.
    out = admin.post(f"/api/admin/clinicians/{world.alice.clinician_id}/revoke-sessions")
    assert out.status_code == 200, out.text
    assert out.json()["sessions_revoked"] >= 1
    assert api.get("/api/cases").status_code == 401


def test_only_org_admins_read_them(api: Api, world: World) -> None:
    for path in ("/api/admin/delegations", "/api/admin/audit"):
        res = api.get(path)
        assert res.status_code == 403, path
        assert res.json()["code"] == "role_insufficient"
    assert api.post(f"/api/admin/clinicians/{world.bob.clinician_id}/revoke-sessions"
                    ).status_code == 403
