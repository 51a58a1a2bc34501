"""A snapshot read is audited once, with the reader, the case's state and consent flag, the
request id and the client's keyed hash - on PostgreSQL by the same statement that reads the
case - and a read the caller may not make leaves no read event."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tests.api.conftest import Api, World
from woundcare.storage.repositories.audit import AuditEvent


def _reads(world: World, case_id: UUID) -> list[AuditEvent]:
    with world.runtime.db.unit_of_work(world.alice.identity, read_only=True) as uow:
        return [e for e in uow.audit.query(case_id=case_id) if e.action == "case.read"]


def test_a_snapshot_read_is_audited_once_with_its_reader_and_the_case_state(
        world: World, api: Api) -> None:
    case: dict[str, Any] = api.fire(api.create_case(), "BEGIN")
    case_id = UUID(case["case_id"])
    before = _reads(world, case_id)
    response = api.http.get(f"/api/session/{case_id}",
                            headers={**api.headers(), "X-Request-ID": "read-audit-0001"})
    assert response.status_code == 200, response.text
    after = _reads(world, case_id)
    assert len(after) == len(before) + 1
    (event,) = [e for e in after if e not in before]
    assert event.outcome == "success"
    assert event.actor_id == world.alice.clinician_id
    assert event.organisation_id == world.alice.organisation_id
    assert event.state == response.json()["state"]
    assert event.consent_flag == "not_recorded"
    assert event.request_id == "read-audit-0001"
    assert event.client_hash == world.runtime.client_hash("testclient")  # keyed, not the address
    assert event.agent is None
    assert event.detail is None


def test_a_read_of_a_case_the_caller_may_not_see_writes_no_read_event(
        world: World, api: Api, app: Any) -> None:
    case = api.create_case()
    case_id = UUID(case["case_id"])
    before = _reads(world, case_id)
    stranger = Api(app)
    stranger.login(world.bob)  # same organisation, neither owner nor delegate
    assert stranger.get(f"/api/session/{case_id}").status_code == 404
    outsider = Api(app)
    outsider.login(world.mallory)  # another organisation
    assert outsider.get(f"/api/session/{case_id}").status_code == 404
    assert _reads(world, case_id) == before
