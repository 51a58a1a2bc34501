"""The whole workflow through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from uuid import UUID

from PIL import Image

from tests.api.conftest import Api, World
from tests.api.flows import PHI, bio_body, run_whole_case, upload_photo
from woundcare.domain.imaging import RETAKE_REQUESTS


def test_whole_case_from_login_to_done(api: Api, world: World) -> None:
    case = run_whole_case(api)
    case_id = case["case_id"]
    assert [step["status"] for step in case["timeline"]][-1] in ("current", "done")
    assert all(step["status"] == "done" for step in case["timeline"][:-1])

    # the photo comes back decrypted, without its metadata
    artifact = case["record"]["artifacts"][0]
    download = api.get(f"/api/session/{case_id}/artifacts/{artifact['artifact_id']}")
    assert download.status_code == 200
    assert download.headers["content-type"] == "image/jpeg"
    image = Image.open(io.BytesIO(download.content))
    assert not image.getexif()

    verify = api.get(f"/api/session/{case_id}/provenance/verify").json()
    assert verify["ok"] is True
    assert verify["entries"] > 10
    entries = api.get(f"/api/session/{case_id}/provenance").json()["entries"]
    assert len(entries) == verify["entries"]

    listing = api.get("/api/cases").json()
    assert listing["total"] == 1
    assert listing["items"][0]["state"] == "DONE"
    by_mrn = api.get("/api/cases", params={"mrn": PHI["mrn"]}).json()
    assert [item["case_id"] for item in by_mrn["items"]] == [case_id]

    with world.runtime.db.unit_of_work(world.alice.identity, read_only=True) as uow:
        actions = {e.action for e in uow.audit.query(case_id=UUID(case_id))}
    assert {"case.create", "case.event", "case.step.bio", "artifact.upload", "case.step.pin",
            "artifact.download", "provenance.verify", "provenance.read"} <= actions

    # next visit: RESET in DONE opens a new case; the finished one is untouched
    new = api.post(f"/api/session/{case_id}/events/RESET", case["version"])
    assert new.status_code == 201, new.text
    assert new.json()["record"]["previous_case_id"] == case_id
    assert api.get(f"/api/session/{case_id}").json()["version"] == case["version"]


def test_bearer_token_client(app: object, world: World) -> None:
    client = Api(app)
    token = client.http.post("/api/auth/token", json={"email": world.bob.email,
                                                      "password": world.bob.password})
    assert token.status_code == 200
    client.bearer = token.json()["access_token"]
    case = client.create_case()  # no CSRF token needed with a bearer token
    assert client.fire(case, "BEGIN")["state"] == "BIO_INTAKE"
    me = client.get("/api/auth/me").json()
    assert me["email"] == world.bob.email
    assert me["pin_set"] is True


def test_retake_requests_are_kept_with_the_snapshot(api: Api) -> None:
    case = api.fire(api.create_case(), "BEGIN")
    case = api.step(case, "bio", json=bio_body())
    case = api.fire(case, "BIO_CONFIRMED")
    dark = io.BytesIO()
    Image.new("RGB", (960, 720), (8, 8, 8)).save(dark, format="JPEG")
    case = upload_photo(api, case, dark.getvalue())
    photo = case["record"]["wound"]["photos"][0]
    assert photo["quality"]["lighting"] == "fail"
    reloaded = api.get(f"/api/session/{case['case_id']}").json()
    requests = reloaded["retake_requests"][photo["artifact_id"]]
    assert RETAKE_REQUESTS["lighting"] in requests
    assert all("retake" in r for r in requests)
