"""Findings 2 and 3: a replay is a read (access re-checked, audited, 404 once the caller may no
longer see the case), and one key makes one case under real concurrency on PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import func, select

from tests.api.conftest import Api, World, build_world
from tests.api.flows import bio_body
from tests.security.helpers import Server, server_env
from woundcare.api.app import create_app
from woundcare.storage.schema import audit_events, cases


def _login(world: World, account: Any) -> Api:
    client = Api(create_app(world.runtime))
    client.login(account)
    return client


def _audit(world: World, case_id: str) -> list[Any]:
    with world.backend.owner.unit_of_work(None, read_only=True) as uow:
        return list(uow.conn.execute(select(audit_events).where(
            audit_events.c.case_id == UUID(case_id)).order_by(audit_events.c.at)).all())


def test_replay_after_the_delegation_was_removed_is_404_and_audited(world: World) -> None:
    alice, bob = _login(world, world.alice), _login(world, world.bob)
    case = alice.fire(alice.create_case(), "BEGIN")
    granted = alice.post(f"/api/cases/{case['case_id']}/delegations",
                         json={"clinician_id": str(world.bob.clinician_id)})
    assert granted.status_code == 201, granted.text
    url = f"/api/session/{case['case_id']}/bio"
    first = bob.post(url, case["version"], key="bob-key", json=bio_body())
    assert first.status_code == 200, first.text
    replay = bob.post(url, case["version"], key="bob-key", json=bio_body())
    assert replay.status_code == 200
    assert replay.headers["Idempotent-Replayed"] == "true"
    reads = [e for e in _audit(world, case["case_id"]) if e.action == "case.read"
             and e.actor_id == world.bob.clinician_id]
    assert len(reads) == 1
    assert reads[0].detail == {"idempotent_replay": True}

    removed = alice.http.delete(
        f"/api/cases/{case['case_id']}/delegations/{world.bob.clinician_id}",
        headers=alice.headers())
    assert removed.status_code == 204
    after = bob.post(url, case["version"], key="bob-key", json=bio_body())
    assert after.status_code == 404, after.text
    assert "Zqxjv" not in after.text
    assert "record" not in after.json()
    denied = [e for e in _audit(world, case["case_id"])
              if e.actor_id == world.bob.clinician_id and e.outcome == "denied"]
    assert denied, "the refused replay is audited"


def test_replay_shows_the_case_as_it_is_now(api: Api) -> None:
    case = api.fire(api.create_case(), "BEGIN")
    url = f"/api/session/{case['case_id']}/bio"
    first = api.post(url, case["version"], key="k1", json={"patient": {"first_name": "Aa"}})
    assert first.status_code == 200
    later = api.post(url, first.json()["version"], json={"patient": {"first_name": "Bb"}})
    assert later.status_code == 200
    replay = api.post(url, case["version"], key="k1", json={"patient": {"first_name": "Aa"}})
    assert replay.status_code == 200
    assert replay.json()["version"] == later.json()["version"]
    assert replay.headers["ETag"] == f'"{later.json()["version"]}"'


def test_same_key_different_body_is_422(api: Api) -> None:
    first = api.post("/api/cases", key="k2", json={})
    assert first.status_code == 201
    other = api.post("/api/cases", key="k2", json={"previous_case_id": first.json()["case_id"]})
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_a_refused_write_keeps_no_claim(api: Api) -> None:
    case = api.fire(api.create_case(), "BEGIN")
    url = f"/api/session/{case['case_id']}/bio"
    stale = api.post(url, case["version"] - 1, key="k3", json=bio_body())
    assert stale.status_code == 409
    retry = api.post(url, case["version"], key="k3", json=bio_body())
    assert retry.status_code == 200  # the rolled-back write left no claim behind


@pytest.fixture
def live_pg(tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    backend = request.getfixturevalue("_pg_backend")
    from tests.api.conftest import _truncate

    _truncate(backend.owner)
    world = build_world(tmp_path, backend)
    server = Server(server_env(world, tmp_path), tmp_path)
    try:
        server.wait_ready()
        yield world, server
    finally:
        server.stop()
        _truncate(backend.owner)


def _token(url: str, account: Any) -> dict[str, str]:
    response = httpx.post(f"{url}/api/auth/token",
                          json={"email": account.email, "password": account.password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.mark.postgres
@pytest.mark.slow
def test_eight_parallel_creates_with_one_key_make_one_case(live_pg: Any) -> None:
    world, server = live_pg
    auth = _token(server.url, world.alice)

    def create(_: int) -> httpx.Response:
        return httpx.post(f"{server.url}/api/cases", json={}, timeout=60,
                          headers={**auth, "Idempotency-Key": "one-key-eight-requests"})

    for _round in range(3):
        with ThreadPoolExecutor(8) as pool:
            responses = list(pool.map(create, range(8)))
        statuses = sorted(r.status_code for r in responses)
        assert set(statuses) <= {201, 409}, [r.text for r in responses]
        ids = {r.json()["case_id"] for r in responses if r.status_code == 201}
        assert len(ids) == 1
        for response in responses:
            if response.status_code == 409:
                assert response.json()["code"] == "idempotency_in_progress"
    with world.backend.owner.unit_of_work(None, read_only=True) as uow:
        assert uow.conn.execute(select(func.count()).select_from(cases)).scalar_one() == 1

    # eight identical writes to a case with one key: one write, seven replays, no 409
    case = httpx.post(f"{server.url}/api/cases", json={}, headers=auth).json()
    path = f"{server.url}/api/session/{case['case_id']}/events/BEGIN"

    def fire(_: int) -> httpx.Response:
        return httpx.post(path, timeout=60, headers={**auth, "If-Match": f'"{case["version"]}"',
                                                     "Idempotency-Key": "begin-once"})

    with ThreadPoolExecutor(8) as pool:
        fired = list(pool.map(fire, range(8)))
    assert [r.status_code for r in fired] == [200] * 8, [r.text for r in fired]
    assert {r.json()["version"] for r in fired} == {case["version"] + 1}
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in fired) == 7


@pytest.mark.postgres
def test_a_keyed_write_waits_at_most_its_lock_timeout_then_503(
        tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """The claim sets the lock timeout for the rest of the write's transaction: a row held by
    another transaction longer than that answers 503 database_busy, changes nothing, and
    leaves no claim (the retry with the same key runs)."""
    from sqlalchemy import text

    from tests.api.conftest import _truncate

    backend = request.getfixturevalue("_pg_backend")
    _truncate(backend.owner)
    world = build_world(tmp_path, backend, idempotency_wait_seconds=0.5)
    api = _login(world, world.alice)
    case = api.fire(api.create_case(), "BEGIN")
    url = f"/api/session/{case['case_id']}/bio"
    with backend.owner.engine.connect() as holder, holder.begin():
        holder.execute(text("SELECT 1 FROM cases WHERE id = :id FOR UPDATE"),
                       {"id": UUID(case["case_id"])})
        busy = api.post(url, case["version"], key="held", json=bio_body())
    assert busy.status_code == 503, busy.text
    assert busy.json()["code"] == "database_busy"
    assert busy.headers["Retry-After"] == "1"
    with backend.owner.unit_of_work(None, read_only=True) as uow:
        version = uow.conn.execute(select(cases.c.version).where(
            cases.c.id == UUID(case["case_id"]))).scalar_one()
    assert version == case["version"]
    retry = api.post(url, case["version"], key="held", json=bio_body())
    assert retry.status_code == 200, retry.text
    assert "Idempotent-Replayed" not in retry.headers
    _truncate(backend.owner)
