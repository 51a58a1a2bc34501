"""Who may touch a case, endpoint by endpoint: the owner (A), a colleague in the same
organisation before and after a delegation (B), the organisation's admin (who manages people,
not PHI), and a clinician of another organisation (C). Whoever may not see a case gets the same
404 as for a case that does not exist, and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from tests.api.conftest import Api, World
from tests.api.test_bad_input import assert_problem, state_of

PDF = b"%PDF-1.4\n% synthetic document\n"

Call = Callable[[Api, dict[str, Any]], httpx.Response]


def _post(suffix: str, **kwargs: Any) -> Call:
    def call(api: Api, case: dict[str, Any]) -> httpx.Response:
        return api.post(f"/api/session/{case['case_id']}/{suffix}", case["version"], **kwargs)
    return call


def _get(suffix: str) -> Call:
    def call(api: Api, case: dict[str, Any]) -> httpx.Response:
        return api.get(f"/api/session/{case['case_id']}{suffix}")
    return call


def _artifact(api: Api, case: dict[str, Any]) -> httpx.Response:
    artifact = case["record"]["artifacts"][0]["artifact_id"]
    return api.get(f"/api/session/{case['case_id']}/artifacts/{artifact}")


def _parse_document(api: Api, case: dict[str, Any]) -> httpx.Response:
    artifact = case["record"]["artifacts"][0]["artifact_id"]
    return api.post(f"/api/session/{case['case_id']}/artifacts/{artifact}/parse")


def _next_visit(api: Api, case: dict[str, Any]) -> httpx.Response:
    return api.post("/api/cases", json={"previous_case_id": case["case_id"]})


def _undelegate(api: Api, case: dict[str, Any]) -> httpx.Response:
    return api.http.delete(f"/api/cases/{case['case_id']}/delegations/{uuid4()}",
                           headers=api.headers())


# Every endpoint that names a case; each must answer 404 case_not_found to outsiders.
CASE_ENDPOINTS: dict[str, Call] = {
    "snapshot": _get(""),
    "provenance": _get("/provenance"),
    "verify": _get("/provenance/verify"),
    "artifact": _artifact,
    "parse_document": _parse_document,
    "event": _post("events/BIO_CONFIRMED"),
    "bio": _post("bio", json={"patient": {"sex": "unspecified"}}),
    "parse": _post("bio/parse", json={"free_text": "Synthetic patient, 40 years old."}),
    "consent": _post("consent", json={"photography": "granted"}),
    "imaging": _post("imaging", json={"wound_site": "left heel (synthetic)"}),
    "vitals": _post("vitals", json={"vitals": {"oxygen_saturation": {"unknown": True}}}),
    "time": _post("time", json={"assessment": {"infection": {"odour": "absent"}}}),
    "follow_up_refresh": _post("follow-ups/refresh"),
    "follow_up": _post(f"follow-ups/{uuid4()}", json={"answer": "Synthetic answer."}),
    "review": _post("review", json={"attest": True}),
    "assemble": _post("assemble"),
    "sign": _post("sign", json={"pin": "000000"}),
    "export": _post("export", json={"destinations": ["archive"]}),
    "upload": _post("artifacts", data={"kind": "document"},
                    files={"file": ("synthetic.pdf", PDF, "application/pdf")}),
    "delegate": lambda api, case: api.post(f"/api/cases/{case['case_id']}/delegations",
                                           json={"clinician_id": str(uuid4())}),
    "undelegate": _undelegate,
    "next_visit": _next_visit,
}


@pytest.fixture
def case(api: Api) -> dict[str, Any]:
    """Alice's case in BIO_INTAKE with one document attached."""
    case = api.fire(api.create_case(), "BEGIN")
    return api.step(case, "artifacts", data={"kind": "document"},
                    files={"file": ("synthetic.pdf", PDF, "application/pdf")})


def _client(app: Any, account: Any) -> Api:
    client = Api(app)
    client.login(account)
    return client


@pytest.mark.parametrize("endpoint", sorted(CASE_ENDPOINTS))
def test_outsiders_get_404_on_every_case_endpoint(app: Any, world: World, case: dict[str, Any],
                                                  endpoint: str) -> None:
    assert world.runtime.intake_parser is not None  # so parse reaches the case lookup
    before = state_of(world, case)
    call = CASE_ENDPOINTS[endpoint]
    outsiders = [world.bob, world.admin, world.mallory]  # B undelegated, the admin, C
    if endpoint in ("delegate", "undelegate"):  # the admin may (see the next tests)
        outsiders.remove(world.admin)
    for outsider in outsiders:
        client = _client(app, outsider)
        assert_problem(call(client, case), 404, "case_not_found")
        if endpoint == "snapshot":  # and the worklist does not list it
            assert client.get("/api/cases").json()["total"] == 0
    assert state_of(world, case) == before


def test_a_delegate_works_on_the_case_but_cannot_redelegate(
        app: Any, api: Api, world: World, case: dict[str, Any]) -> None:
    granted = api.post(f"/api/cases/{case['case_id']}/delegations",
                       json={"clinician_id": str(world.bob.clinician_id)})
    assert granted.status_code == 201, granted.text
    bob = _client(app, world.bob)
    for read in ("snapshot", "provenance", "verify", "artifact"):
        assert CASE_ENDPOINTS[read](bob, case).status_code == 200, read
    assert [item["case_id"] for item in bob.get("/api/cases").json()["items"]] == \
        [case["case_id"]]
    moved = CASE_ENDPOINTS["bio"](bob, case)
    assert moved.status_code == 200, moved.text
    assert_problem(bob.post(f"/api/cases/{case['case_id']}/delegations",
                            json={"clinician_id": str(world.admin.clinician_id)}),
                   403, "not_case_owner")
    assert_problem(bob.http.delete(f"/api/cases/{case['case_id']}/delegations/"
                                   f"{world.bob.clinician_id}", headers=bob.headers()),
                   403, "not_case_owner")
    # the organisation's admin still does not see the PHI of a case not delegated to them
    admin = _client(app, world.admin)
    assert_problem(admin.get(f"/api/session/{case['case_id']}"), 404, "case_not_found")
    # C is never a valid delegate, whoever asks
    assert_problem(api.post(f"/api/cases/{case['case_id']}/delegations",
                            json={"clinician_id": str(world.mallory.clinician_id)}),
                   404, "clinician_not_found")


def test_an_org_admin_manages_delegations_without_reading_the_case(
        app: Any, world: World, case: dict[str, Any]) -> None:
    admin = _client(app, world.admin)
    url = f"/api/cases/{case['case_id']}/delegations"
    granted = admin.post(url, json={"clinician_id": str(world.bob.clinician_id)})
    assert granted.status_code == 201, granted.text
    assert granted.json()["granted_by"] == str(world.admin.clinician_id)
    assert _client(app, world.bob).get(f"/api/session/{case['case_id']}").status_code == 200
    assert_problem(admin.get(f"/api/session/{case['case_id']}"), 404, "case_not_found")
    assert admin.http.delete(f"{url}/{world.bob.clinician_id}",
                             headers=admin.headers()).status_code == 204
    assert_problem(_client(app, world.bob).get(f"/api/session/{case['case_id']}"), 404,
                   "case_not_found")
    # another organisation's case is out of the admin's reach, like a missing one
    other = _client(app, world.mallory).create_case()
    for target in (other["case_id"], str(uuid4())):
        assert_problem(admin.post(f"/api/cases/{target}/delegations",
                                  json={"clinician_id": str(world.bob.clinician_id)}),
                       404, "case_not_found")


def test_admin_routes_need_the_role_and_stay_in_the_organisation(app: Any, world: World) -> None:
    clinician = _client(app, world.alice)
    for response in (
        clinician.get("/api/admin/clinicians"),
        clinician.post("/api/admin/clinicians", json={
            "email": "eve@example.test", "display_name": "Synthetic Eve"}),
        clinician.put(f"/api/admin/clinicians/{world.bob.clinician_id}/role",
                      json={"role": "org_admin"}),
        clinician.post(f"/api/admin/clinicians/{world.bob.clinician_id}/pin-reset"),
    ):
        assert_problem(response, 403, "role_insufficient")
    admin = _client(app, world.admin)
    assert {c["organisation_id"] for c in admin.get("/api/admin/clinicians").json()} == \
        {str(world.admin.organisation_id)}
    assert_problem(admin.post(f"/api/admin/clinicians/{world.mallory.clinician_id}/pin-reset"),
                   404, "clinician_not_found")
    with world.runtime.db.unit_of_work(world.mallory.identity, read_only=True) as uow:
        assert uow.clinicians.get(world.mallory.clinician_id).has_pin  # type: ignore[union-attr]


def test_an_artifact_is_only_served_through_its_own_case(api: Api, case: dict[str, Any]) -> None:
    artifact = case["record"]["artifacts"][0]["artifact_id"]
    other = api.create_case()
    assert_problem(api.get(f"/api/session/{other['case_id']}/artifacts/{artifact}"), 404,
                   "artifact_not_found")
    assert_problem(api.get(f"/api/session/{case['case_id']}/artifacts/{uuid4()}"), 404,
                   "artifact_not_found")
    assert api.get(f"/api/session/{case['case_id']}/artifacts/{artifact}").content == PDF
    assert UUID(artifact)
