"""Refused writes and access to cases the caller may not see are in the audit trail too."""

from __future__ import annotations

from uuid import UUID

from tests.api.conftest import Api, World
from woundcare.api.app import create_app


def audit_events(world: World, case_id: str) -> list[object]:
    with world.backend.owner.unit_of_work(None) as uow:  # the operator view
        return list(uow.audit.query(case_id=UUID(case_id)))


def test_a_refused_step_is_audited_with_its_code_and_nothing_else(
    api: Api, world: World
) -> None:
    case = api.fire(api.create_case(), "BEGIN")
    refused = api.post(f"/api/session/{case['case_id']}/events/BIO_CONFIRMED", case["version"])
    assert refused.status_code == 422
    events = audit_events(world, case["case_id"])
    last = events[0] if events else None  # newest first
    assert last is not None
    assert (last.action, last.outcome) == ("case.event", "refused")  # type: ignore[attr-defined]
    assert last.detail == {"code": "guard_failed"}  # type: ignore[attr-defined]
    assert last.actor_id == world.alice.clinician_id  # type: ignore[attr-defined]


def test_writing_to_another_organisations_case_is_audited_as_denied(
    api: Api, world: World
) -> None:
    case = api.fire(api.create_case(), "BEGIN")
    mallory = Api(create_app(world.runtime))
    mallory.login(world.mallory)
    response = mallory.post(f"/api/session/{case['case_id']}/bio", case["version"],
                            json={"patient": {"first_name": "Intruder"}})
    assert response.status_code == 404
    with world.backend.owner.unit_of_work(None) as uow:  # the operator view
        denied = [e for e in uow.audit.query(actor_id=world.mallory.clinician_id)
                  if e.outcome == "denied"]
    assert len(denied) == 1
    assert denied[0].organisation_id == world.mallory.organisation_id
    assert denied[0].detail == {"code": "case_not_found"}
    # The case itself did not move.
    assert api.get(f"/api/session/{case['case_id']}").json()["version"] == case["version"]


def test_a_refused_signature_is_audited(api: Api, world: World) -> None:
    case = api.fire(api.create_case(), "BEGIN")
    wrong = api.post(f"/api/session/{case['case_id']}/sign", case["version"],
                     json={"pin": "999999"})
    assert wrong.status_code == 422  # not in LINK_TO_CLINICIAN: refused before any attempt
    with world.backend.owner.unit_of_work(None) as uow:
        rows = [e for e in uow.audit.query(case_id=UUID(case["case_id"]))
                if e.action == "case.step.pin"]
    assert [(e.outcome, e.detail) for e in rows] == [("refused", {"code": "wrong_step"})]


def test_signing_without_a_pin_set_says_so(world: World) -> None:
    from tests.api.flows import walk_to_signing

    admin = Api(create_app(world.runtime))
    admin.login(world.admin)  # the org admin has no PIN
    case = walk_to_signing(admin)
    response = admin.post(f"/api/session/{case['case_id']}/sign", case["version"],
                          json={"pin": "123456"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "pin_not_set"
    assert body["errors"][0]["path"] == "pin"
    assert "Signing PIN" in body["detail"]
