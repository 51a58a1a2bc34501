"""The bad-input matrix: each gets the right status, a clear problem document, and changes
nothing (version, provenance and the audit trail of writes stay where they were)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from tests.api.conftest import Api, World
from tests.api.flows import bio_body, upload_photo
from woundcare.api.app import create_app


def state_of(world: World, case: dict[str, Any]) -> tuple[int, int, int]:
    """(version, provenance entries, successful audit events that are not reads) of a case.
    Refused requests leave an audit row of their own (outcome ``refused`` or ``denied``)."""
    case_id = UUID(case["case_id"])
    with world.runtime.db.unit_of_work(world.alice.identity, read_only=True) as uow:
        events = uow.audit.query(case_id=case_id)
        from woundcare.storage.case_repository import SqlCaseStore

        store = SqlCaseStore(uow.conn, world.alice.identity, world.runtime.keys)
        version = store.load(case_id).version
        entries = len(store.provenance(case_id))
    writes = [e for e in events if e.action not in ("case.read", "provenance.read")
              and e.outcome == "success"]
    return version, entries, len(writes)


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert body["detail"]
    assert body["request_id"]
    assert "Traceback" not in response.text
    assert "SELECT" not in response.text
    return body


@pytest.fixture
def bio_case(api: Api) -> dict[str, Any]:
    case = api.create_case()
    return api.fire(case, "BEGIN")


def test_malformed_json_is_400(api: Api, world: World, bio_case: dict[str, Any]) -> None:
    before = state_of(world, bio_case)
    response = api.post(f"/api/session/{bio_case['case_id']}/vitals", bio_case["version"],
                        content=b'{"vitals": {', headers={"Content-Type": "application/json"})
    assert_problem(response, 400, "malformed_json")
    assert state_of(world, bio_case) == before


def test_wrong_types_and_unknown_fields_are_422(api: Api, world: World,
                                                bio_case: dict[str, Any]) -> None:
    before = state_of(world, bio_case)
    url = f"/api/session/{bio_case['case_id']}/bio"
    wrong = api.post(url, bio_case["version"], json={"patient": {"age": "old"}})
    body = assert_problem(wrong, 422, "validation_failed")
    assert body["errors"][0]["path"] == "patient.age"
    assert body["errors"][0]["message"] == "Enter a whole number."
    unknown = api.post(url, bio_case["version"], json={"patient": {"shoe_size": 44}})
    body = assert_problem(unknown, 422, "validation_failed")
    assert body["errors"][0] == {"path": "patient.shoe_size", "code": "extra_forbidden",
                                 "message": "This field is not part of the record."}
    rule = api.post(url, bio_case["version"], json={"patient": {"date_of_birth": "2999-01-01"}})
    assert assert_problem(rule, 422, "validation_failed")["errors"][0]["code"] == \
        "date_in_future"
    assert state_of(world, bio_case) == before


def test_twenty_megabyte_body_is_413(api: Api, world: World, bio_case: dict[str, Any]) -> None:
    before = state_of(world, bio_case)
    big = b'{"free_text": "' + b"x" * (20 * 1024 * 1024) + b'"}'
    response = api.post(f"/api/session/{bio_case['case_id']}/bio", bio_case["version"],
                        content=big, headers={"Content-Type": "application/json"})
    assert_problem(response, 413, "payload_too_large")
    upload = api.post(f"/api/session/{bio_case['case_id']}/artifacts", bio_case["version"],
                      files={"file": ("big.jpg", b"\xff\xd8\xff" + b"0" * (20 * 1024 * 1024),
                                      "image/jpeg")}, data={"kind": "image"})
    assert_problem(upload, 413, "payload_too_large")
    assert state_of(world, bio_case) == before


def test_bytes_that_do_not_match_their_type_are_415(api: Api, world: World,
                                                    bio_case: dict[str, Any]) -> None:
    before = state_of(world, bio_case)
    url = f"/api/session/{bio_case['case_id']}/artifacts"
    pdf_as_jpeg = api.post(url, bio_case["version"], data={"kind": "image"},
                           files={"file": ("x.jpg", b"%PDF-1.4 synthetic", "image/jpeg")})
    assert_problem(pdf_as_jpeg, 415, "unsupported_media_type")
    jpeg = upload_photo.__globals__["photo_with_exif"]()
    claimed_png = api.post(url, bio_case["version"], data={"kind": "image"},
                           files={"file": ("x.png", jpeg, "image/png")})
    assert_problem(claimed_png, 415, "media_type_mismatch")
    exe = api.post(url, bio_case["version"], data={"kind": "document"},
                   files={"file": ("x.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "application/pdf")})
    assert_problem(exe, 415, "unsupported_media_type")
    assert state_of(world, bio_case) == before


def test_another_organisations_case_is_404_like_a_missing_one(
        app: Any, world: World, api: Api, bio_case: dict[str, Any]) -> None:
    before = state_of(world, bio_case)
    mallory = Api(app)
    mallory.login(world.mallory)
    for target in (bio_case["case_id"], str(uuid4())):
        assert_problem(mallory.get(f"/api/session/{target}"), 404, "case_not_found")
        assert_problem(mallory.post(f"/api/session/{target}/events/BIO_CONFIRMED", 1), 404,
                       "case_not_found")
        assert_problem(mallory.get(f"/api/session/{target}/provenance"), 404, "case_not_found")
    assert mallory.get("/api/cases").json()["total"] == 0
    assert_problem(mallory.get("/api/session/not-a-uuid"), 404, "case_not_found")
    # a colleague in the same organisation without a delegation does not see it either
    bob = Api(app)
    bob.login(world.bob)
    assert_problem(bob.get(f"/api/session/{bio_case['case_id']}"), 404, "case_not_found")
    assert state_of(world, bio_case) == before


def test_stale_version_is_409_with_the_current_snapshot(api: Api, world: World,
                                                       bio_case: dict[str, Any]) -> None:
    moved = api.step(bio_case, "bio", json={"patient": {"sex": "unspecified"}})
    before = state_of(world, moved)
    stale = api.post(f"/api/session/{bio_case['case_id']}/bio", bio_case["version"],
                     json={"patient": {"age": 40}})
    body = assert_problem(stale, 409, "version_conflict")
    assert body["current"]["version"] == moved["version"]
    assert body["current"]["record"]["patient"]["age"] is None
    missing = api.post(f"/api/session/{bio_case['case_id']}/bio", json={"patient": {"age": 4}})
    assert_problem(missing, 428, "if_match_required")
    assert state_of(world, moved) == before


def test_replayed_idempotency_key_returns_the_first_response(api: Api, world: World,
                                                             bio_case: dict[str, Any]) -> None:
    url = f"/api/session/{bio_case['case_id']}/bio"
    first = api.post(url, bio_case["version"], key="synthetic-key-1", json=bio_body())
    assert first.status_code == 200
    before = state_of(world, bio_case)
    again = api.post(url, bio_case["version"], key="synthetic-key-1", json=bio_body())
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["etag"] == first.headers["etag"]
    other = api.post(url, bio_case["version"], key="synthetic-key-1",
                     json={"patient": {"age": 50}})
    assert_problem(other, 422, "idempotency_key_reused")
    assert state_of(world, bio_case) == before


def test_missing_csrf_token_is_403(api: Api, world: World, bio_case: dict[str, Any]) -> None:
    before = state_of(world, bio_case)
    response = api.http.post(f"/api/session/{bio_case['case_id']}/events/BIO_CONFIRMED",
                             headers={"If-Match": f'"{bio_case["version"]}"'})
    assert_problem(response, 403, "csrf_failed")
    wrong = api.http.post(f"/api/session/{bio_case['case_id']}/events/BIO_CONFIRMED",
                          headers={"If-Match": f'"{bio_case["version"]}"',
                                   "X-CSRF-Token": "forged"})
    assert_problem(wrong, 403, "csrf_failed")
    assert state_of(world, bio_case) == before


def test_expired_and_revoked_sessions_are_401(app: Any, api: Api, world: World,
                                              bio_case: dict[str, Any]) -> None:
    before = state_of(world, bio_case)
    url = f"/api/session/{bio_case['case_id']}"
    real_clock = world.runtime.clock
    world.runtime.clock = lambda: real_clock() + timedelta(minutes=31)
    try:
        assert_problem(api.get(url), 401, "session_expired")
    finally:
        world.runtime.clock = real_clock
    other = Api(app)
    other.login(world.alice)
    assert other.post("/api/auth/logout").status_code == 204
    revoked = Api(app)
    revoked.login(world.alice)
    token = revoked.http.cookies.get("__Host-woundcare_session")
    assert revoked.post("/api/auth/logout").status_code == 204
    replay = Api(app)
    assert_problem(replay.http.get(url, headers={"Authorization": f"Bearer {token}"}), 401,
                   "session_revoked")
    assert_problem(Api(app).http.get(url), 401, "not_authenticated")
    assert state_of(world, bio_case) == before


def test_pin_lockout_after_five_wrong_pins(api: Api, world: World) -> None:
    from tests.api.flows import run_whole_case  # noqa: F401 - documents the happy path

    case = _case_at_signing(api)
    before = state_of(world, case)
    url = f"/api/session/{case['case_id']}/sign"
    for attempt in range(1, 5):
        body = assert_problem(api.post(url, case["version"], json={"pin": "000000"}), 422,
                              "pin_rejected")
        assert f"{5 - attempt} attempt(s) left" in body["detail"]
    locked = api.post(url, case["version"], json={"pin": "000000"})
    assert_problem(locked, 429, "pin_locked")
    assert int(locked.headers["Retry-After"]) > 60
    right_pin_too_late = api.post(url, case["version"], json={"pin": world.alice.pin})
    assert_problem(right_pin_too_late, 429, "pin_locked")
    assert state_of(world, case) == before
    with world.runtime.db.unit_of_work(world.alice.identity, read_only=True) as uow:
        from sqlalchemy import func, select

        from woundcare.storage.schema import pin_attempts

        assert uow.conn.execute(select(func.count()).select_from(pin_attempts)).scalar_one() == 5
    # an admin resets the PIN (and the lockout); a new PIN set with the password works again
    admin = Api(create_app(world.runtime))
    admin.login(world.admin)
    assert admin.post(f"/api/admin/clinicians/{world.alice.clinician_id}/pin-reset"
                      ).status_code == 204
    assert api.put("/api/auth/pin", json={"password": world.alice.password,
                                          "pin": "97531"}).status_code == 204
    signed = api.post(url, case["version"], json={"pin": "97531"})
    assert signed.status_code == 200, signed.text


def _case_at_signing(api: Api) -> dict[str, Any]:
    from tests.api.flows import time_body, vitals_body

    case = api.fire(api.create_case(), "BEGIN")
    case = api.step(case, "bio", json=bio_body())
    case = api.fire(case, "BIO_CONFIRMED")
    case = api.step(case, "imaging", json={"wound_site": "left heel (synthetic)",
                                           "override_reason": "Synthetic test override."})
    case = api.fire(case, "IMAGING_CONFIRMED")
    case = api.step(case, "vitals", json=vitals_body())
    case = api.fire(case, "VITALS_CAPTURED")
    case = api.step(case, "time", json=time_body())
    case = api.fire(case, "TIME_CAPTURED")
    for question in case["pending_follow_ups"]:
        case = api.step(case, f"follow-ups/{question['follow_up_id']}",
                        json={"dismiss_reason": "Not applicable (synthetic)."})
    case = api.fire(case, "FOLLOW_UP_RESOLVED")
    case = api.step(case, "review", json={"attest": True})
    case = api.fire(case, "REVIEW_COMPLETED")
    case = api.fire(case, "JSON_ASSEMBLED")
    assert case["state"] == "LINK_TO_CLINICIAN"
    return case


def test_guard_failure_is_422_with_blockers(api: Api, world: World,
                                            bio_case: dict[str, Any]) -> None:
    before = state_of(world, bio_case)
    response = api.post(f"/api/session/{bio_case['case_id']}/events/BIO_CONFIRMED",
                        bio_case["version"])
    body = assert_problem(response, 422, "guard_failed")
    codes = {b["code"] for b in body["blockers"]}
    assert codes == {"patient.name.missing", "patient.dob_or_age.missing",
                     "consent.data_storage.missing"}
    invalid = api.post(f"/api/session/{bio_case['case_id']}/events/STORED",
                       bio_case["version"])
    assert_problem(invalid, 422, "invalid_event")
    unknown = api.post(f"/api/session/{bio_case['case_id']}/events/FLY", bio_case["version"])
    assert_problem(unknown, 422, "validation_failed")
    assert state_of(world, bio_case) == before


def test_admin_endpoints_need_the_admin_role(api: Api, app: Any, world: World) -> None:
    assert_problem(api.get("/api/admin/clinicians"), 403, "role_insufficient")
    admin = Api(app)
    admin.login(world.admin)
    created = admin.post("/api/admin/clinicians", json={
        "email": "carol@example.test", "display_name": "Synthetic Carol", "role": "clinician"})
    assert created.status_code == 201, created.text
    carol = created.json()
    assert len(carol["temporary_password"]) >= 12
    dup = admin.post("/api/admin/clinicians", json={
        "email": "carol@example.test", "display_name": "Synthetic Carol", "role": "clinician"})
    assert_problem(dup, 409, "email_unavailable")
    role = admin.put(f"/api/admin/clinicians/{carol['clinician']['clinician_id']}/role",
                     json={"role": "org_admin"})
    assert role.status_code == 200
    assert role.json()["role"] == "org_admin"
    emails = {c["email"] for c in admin.get("/api/admin/clinicians").json()}
    assert "mallory@example.test" not in emails
    assert "carol@example.test" in emails
    assert_problem(admin.put(f"/api/admin/clinicians/{world.mallory.clinician_id}/role",
                             json={"role": "org_admin"}), 404, "clinician_not_found")


def test_delegation_lets_a_colleague_in(api: Api, app: Any, world: World,
                                        bio_case: dict[str, Any]) -> None:
    bob = Api(app)
    bob.login(world.bob)
    url = f"/api/session/{bio_case['case_id']}"
    assert bob.get(url).status_code == 404
    granted = api.post(f"/api/cases/{bio_case['case_id']}/delegations",
                       json={"clinician_id": str(world.bob.clinician_id)})
    assert granted.status_code == 201, granted.text
    assert bob.get(url).status_code == 200
    cross = api.post(f"/api/cases/{bio_case['case_id']}/delegations",
                     json={"clinician_id": str(world.mallory.clinician_id)})
    assert_problem(cross, 404, "clinician_not_found")
    assert api.http.delete(f"/api/cases/{bio_case['case_id']}/delegations/"
                           f"{world.bob.clinician_id}",
                           headers=api.headers()).status_code == 204
    assert bob.get(url).status_code == 404


def test_unknown_keys_are_not_echoed(api: Api, bio_case: dict[str, Any]) -> None:
    response = api.post(f"/api/session/{bio_case['case_id']}/bio", bio_case["version"],
                        json={"patient": {"Zqxjv Qwertyson": 1, "shoe_size": 44}})
    body = assert_problem(response, 422, "validation_failed")
    assert sorted(e["path"] for e in body["errors"]) == ["patient.[key]", "patient.shoe_size"]
    assert "Zqxjv" not in response.text


def test_a_body_that_is_not_json_is_415(api: Api, world: World,
                                        bio_case: dict[str, Any]) -> None:
    before = state_of(world, bio_case)
    url = f"/api/session/{bio_case['case_id']}"
    as_text = api.post(f"{url}/bio", bio_case["version"], content=b'{"patient": {}}',
                       headers={"Content-Type": "text/plain"})
    assert_problem(as_text, 415, "unsupported_media_type")
    as_form = api.post(f"{url}/bio", bio_case["version"], data={"patient": "x"})
    assert_problem(as_form, 415, "unsupported_media_type")
    upload_as_json = api.post(f"{url}/artifacts", bio_case["version"], json={"kind": "image"})
    assert_problem(upload_as_json, 415, "unsupported_media_type")
    assert api.post(f"{url}/events/BIO_CONFIRMED", bio_case["version"]).status_code == 422
    assert state_of(world, bio_case) == before


@pytest.mark.parametrize("length", [101, 500])
def test_an_overlong_idempotency_key_is_refused(api: Api, bio_case: dict[str, Any],
                                                length: int) -> None:
    response = api.post(f"/api/session/{bio_case['case_id']}/bio", bio_case["version"],
                        key="k" * length, json={"patient": {"sex": "unspecified"}})
    assert_problem(response, 422, "idempotency_key_invalid")


def test_idempotency_records_expire_and_are_pruned(api: Api, world: World,
                                                   bio_case: dict[str, Any]) -> None:
    from sqlalchemy import func, select

    from woundcare.storage.schema import idempotency_records

    def stored() -> int:
        with world.backend.owner.unit_of_work(None, read_only=True) as uow:
            return int(uow.conn.execute(
                select(func.count()).select_from(idempotency_records)).scalar_one())

    url = f"/api/session/{bio_case['case_id']}/bio"
    first = api.post(url, bio_case["version"], key="old-key", json={"patient": {"age": 40}})
    assert first.status_code == 200
    assert stored() == 1
    settings = world.runtime.settings
    world.runtime.settings = settings.model_copy(update={"idempotency_ttl_hours": 0})
    try:
        # past its TTL the key is forgotten: the same request runs again (and is stale now)
        assert_problem(api.post(url, bio_case["version"], key="old-key",
                                json={"patient": {"age": 40}}), 409, "version_conflict")
        current = first.json()
        assert api.post(url, current["version"], key="new-key",
                        json={"patient": {"age": 41}}).status_code == 200
        assert stored() == 2  # a keyed write no longer prunes: housekeeping does
        # the scheduled housekeeping forgets every organisation's expired records
        from woundcare.service.housekeeping import prune_idempotency

        assert prune_idempotency(world.runtime) == 2
    finally:
        world.runtime.settings = settings
    assert stored() == 0


def test_parallel_wrong_pins_cannot_outrun_the_lockout(api: Api, world: World) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import func, select

    from woundcare.storage.schema import pin_attempts

    case = _case_at_signing(api)
    url = f"/api/session/{case['case_id']}/sign"
    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(
            lambda _: api.post(url, case["version"], json={"pin": "000000"}).status_code,
            range(10)))
    assert sorted(statuses) == [422] * 4 + [429] * 6
    with world.backend.owner.unit_of_work(None, read_only=True) as uow:
        verified = uow.conn.execute(select(func.count()).select_from(pin_attempts)).scalar_one()
    assert verified == 5  # the rest were refused without a look at the PIN
