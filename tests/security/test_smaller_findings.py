"""Finding 7: a case's own artifacts only as ``source_artifact_id``; strict numbers and
booleans; a password policy; third-party loggers quiet at DEBUG; break-glass; neutral invite
answers."""

from __future__ import annotations

import io
from typing import Any
from uuid import UUID

import pytest
from PIL import Image

from tests.api.conftest import Api, World
from tests.api.flows import PHI, phi_in
from woundcare.api.app import create_app
from woundcare.demo import synthetic_photo
from woundcare.logging import configure_logging


def _client(world: World, account: Any) -> Api:
    client = Api(create_app(world.runtime))
    client.login(account)
    return client


def _text_upload(api: Api, case: dict[str, Any]) -> dict[str, Any]:
    files = {"file": ("notes.txt", b"Synthetic referral letter, nothing real.", "text/plain")}
    return api.step(case, "artifacts", files=files, data={"kind": "document"})


def test_source_artifact_id_must_be_this_cases_own(api: Api, world: World) -> None:
    mallory = _client(world, world.mallory)
    theirs = _text_upload(mallory, mallory.fire(mallory.create_case(), "BEGIN"))
    foreign_id = theirs["record"]["artifacts"][0]["artifact_id"]
    case = api.fire(api.create_case(), "BEGIN")
    body = {"patient": {"first_name": "Aa"}, "source": "document",
            "source_artifact_id": foreign_id}
    refused = api.post(f"/api/session/{case['case_id']}/bio", case["version"], json=body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["path"] == "source_artifact_id"
    mine = _text_upload(api, case)
    own_id = mine["record"]["artifacts"][0]["artifact_id"]
    accepted = api.post(f"/api/session/{case['case_id']}/bio", mine["version"],
                        json={**body, "source_artifact_id": own_id})
    assert accepted.status_code == 200, accepted.text


@pytest.mark.parametrize(("path", "value"), [("age", True), ("age", False), ("age", "41"),
                                             ("age", 41.0)])
def test_numbers_and_booleans_are_strict(api: Api, path: str, value: Any) -> None:
    case = api.fire(api.create_case(), "BEGIN")
    response = api.post(f"/api/session/{case['case_id']}/bio", case["version"],
                        json={"patient": {path: value}})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["path"] == f"patient.{path}"
    vitals = api.post(f"/api/session/{case['case_id']}/vitals", case["version"],
                      json={"vitals": {"heart_rate": {"value": True}}})
    assert vitals.status_code == 422


@pytest.mark.parametrize("weak", ["aaaaaaaaaaaa", "password1234", "abcdefghijkl",
                                  "qwertyuiopas", "alice@example.test", "tiny-pw"])
def test_weak_passwords_are_refused(api: Api, weak: str) -> None:
    response = api.put("/api/auth/password",
                       json={"current_password": "synthetic-password-1", "new_password": weak})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["path"] == "new_password"
    assert weak not in response.text


def test_a_strong_password_is_accepted(api: Api) -> None:
    response = api.put("/api/auth/password", json={
        "current_password": "synthetic-password-1",
        "new_password": "lantern orbit velvet 93 quarry"})
    assert response.status_code == 204, response.text


def test_image_library_logs_nothing_at_debug(api: Api) -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", stream=stream)
    try:
        image = Image.open(io.BytesIO(synthetic_photo(sharp=True)))
        exif = Image.Exif()
        exif[0x010E] = f"{PHI['first_name']} {PHI['last_name']} {PHI['mrn']}"  # description
        exif[0x013B] = PHI["last_name"]  # artist
        out = io.BytesIO()
        image.save(out, format="JPEG", exif=exif.tobytes())
        case = api.fire(api.create_case(), "BEGIN")
        files = {"file": ("IMG.jpg", out.getvalue(), "image/jpeg")}
        api.step(case, "artifacts", files=files, data={"kind": "image"})
    finally:
        configure_logging("INFO")
    logged = stream.getvalue()
    assert "http.request" in logged  # the capture works
    assert phi_in(logged) == []


def _break_glass_count(world: World) -> float:
    """``woundcare_break_glass_access_total`` from the rendered metrics."""
    for line in world.runtime.metrics.render().splitlines():
        if line.startswith("woundcare_break_glass_access_total"):
            return float(line.split()[-1])
    return 0.0


def _trail(world: World, case_id: str) -> list[Any]:
    with world.backend.owner.unit_of_work(None, read_only=True) as uow:
        return list(uow.audit.query(case_id=UUID(case_id)))


def test_break_glass_needs_a_reason_is_audited_and_counted(api: Api, world: World) -> None:
    case = api.fire(api.create_case(), "BEGIN")
    admin = _client(world, world.admin)
    url = f"/api/cases/{case['case_id']}/delegations"
    me = {"clinician_id": str(world.admin.clinician_id)}
    assert admin.get(f"/api/session/{case['case_id']}").status_code == 404
    refused = admin.post(url, json=me)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["path"] == "reason"
    assert admin.get(f"/api/session/{case['case_id']}").status_code == 404
    before = _break_glass_count(world)
    granted = admin.post(url, json={**me, "reason": "emergency_care"})
    assert granted.status_code == 201, granted.text
    assert _break_glass_count(world) == before + 1
    glass = [e for e in _trail(world, case["case_id"]) if e.action == "case.break_glass"]
    assert len(glass) == 1
    assert glass[0].actor_id == world.admin.clinician_id
    assert glass[0].detail["reason"] == "emergency_care"
    assert admin.get(f"/api/session/{case['case_id']}").status_code == 200
    # an ordinary delegation by the owner needs no reason and is not break-glass
    plain = api.post(url, json={"clinician_id": str(world.bob.clinician_id)})
    assert plain.status_code == 201
    assert _break_glass_count(world) == before + 1
    # an unknown reason is refused by the schema
    other = api.fire(api.create_case(), "BEGIN")
    bad = admin.post(f"/api/cases/{other['case_id']}/delegations",
                     json={**me, "reason": "curious"})
    assert bad.status_code == 422


def test_inviting_an_address_of_another_organisation_is_neutral(world: World) -> None:
    admin = _client(world, world.admin)

    def invite(email: str) -> Any:
        return admin.post("/api/admin/clinicians",
                          json={"email": email, "display_name": "Synthetic Newcomer"})

    elsewhere = invite(world.mallory.email)  # exists in organisation B
    here = invite(world.bob.email)  # exists in this organisation
    assert elsewhere.status_code == here.status_code == 409
    strip = ("request_id",)
    assert {k: v for k, v in elsewhere.json().items() if k not in strip} == \
        {k: v for k, v in here.json().items() if k not in strip}
    assert "organisation" not in elsewhere.text.lower()
    assert invite("fresh.synthetic@example.test").status_code == 201
    # probing is slow: 30 invitations an hour per administrator, each refusal audited
    statuses = [invite(f"probe{n}@example.test").status_code for n in range(30)]
    assert statuses.count(429) >= 1
    assert statuses[-1] == 429
    with world.backend.owner.unit_of_work(None, read_only=True) as uow:
        refused = [e for e in uow.audit.query(actor_id=world.admin.clinician_id)
                   if e.action == "admin.clinician.create" and e.outcome == "refused"]
    assert len(refused) == 2
