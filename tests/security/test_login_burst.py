"""Finding 4: a parallel burst of wrong passwords holds the limit and the process's memory.

The attempt is counted (one atomic upsert) before any hashing; Argon2 work is bounded by a
gate sized from its memory cost. Against a real server process with production Argon2
parameters (64 MiB per check): 30 parallel wrong passwords for one account give at most
``login_max_attempts`` (10) x 401 (or 503 when no Argon2 slot frees in time) and the rest
429, and the server's resident memory stays
under twice its idle size. The checks behind PUT /api/auth/pin and /api/auth/password get the
same limit.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from tests.api.conftest import Api, Backend, World, build_world
from tests.security.helpers import Server, server_env
from woundcare.api.app import create_app
from woundcare.crypto.passwords import PRODUCTION_PARAMETERS, PasswordHasher
from woundcare.server import AFTER_START_S
from woundcare.storage.schema import clinicians


def test_gate_slots_follow_the_memory_cost() -> None:
    from woundcare.crypto.hash_gate import slots_for

    assert slots_for(128, PRODUCTION_PARAMETERS.memory_cost) == 2
    assert slots_for(64, PRODUCTION_PARAMETERS.memory_cost) == 1
    assert slots_for(10, PRODUCTION_PARAMETERS.memory_cost) == 1
    assert slots_for(1024, 65536) == 16


def test_gate_refuses_after_waiting() -> None:
    from woundcare.crypto.errors import HashingBusy
    from woundcare.crypto.hash_gate import HashGate

    gate = HashGate(1, wait_seconds=0.05)
    with gate.slot(), pytest.raises(HashingBusy), gate.slot():
        pass  # pragma: no cover
    with gate.slot():
        assert gate.peak == 1


def _settled_rss(server: Server, timeout: float = 20.0) -> int:
    """The server's RSS once it stops growing: the warm-up (woundcare.server.warm_up_later)
    loads the guardrail, the parser and the templates shortly after start; the burst's memory
    is compared with the server as it idles after that, not with the half-warmed one."""
    time.sleep(AFTER_START_S)
    deadline = time.monotonic() + timeout
    last, still = server.rss_bytes(), 0
    while time.monotonic() < deadline and still < 5:
        time.sleep(0.2)
        now = server.rss_bytes()
        still = still + 1 if abs(now - last) < 512 * 1024 else 0
        last = now
    return last


@pytest.mark.slow
def test_parallel_wrong_passwords_hold_the_limit_and_the_memory(
        tmp_path: Path, backend: Backend) -> None:
    world = build_world(tmp_path, backend)
    real_hash = PasswordHasher().hash(world.alice.password)  # 64 MiB per verification
    with world.backend.owner.unit_of_work(None) as uow:
        uow.conn.execute(update(clinicians).where(clinicians.c.id == world.alice.clinician_id)
                         .values(password_hash=real_hash))
    env = server_env(world, tmp_path, WOUNDCARE_PASSWORD_HASH_FAST="false",
                     WOUNDCARE_LOGIN_MAX_ATTEMPTS="10")
    server = Server(env, tmp_path)
    try:
        server.wait_ready()
        for _ in range(3):  # warm the code paths (no password work)
            httpx.get(f"{server.url}/readyz")
        idle = _settled_rss(server)  # after the server's own warm-up, shortly after start
        peak = [idle]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], server.rss_bytes())
                stop.wait(0.005)

        sampler = threading.Thread(target=sample)
        sampler.start()
        wrong = {"email": world.alice.email, "password": "wrong-password-xyz"}

        def attempt(_: int) -> httpx.Response:
            return httpx.post(f"{server.url}/api/auth/login", json=wrong, timeout=120)

        try:
            with ThreadPoolExecutor(30) as pool:
                responses = list(pool.map(attempt, range(30)))
        finally:
            stop.set()
            sampler.join()
        statuses = [r.status_code for r in responses]
        # 401: checked; 429: over the limit (never hashed); 503: within the limit but no
        # Argon2 slot came free in time (a loaded machine) - still counted, never a guess more
        assert set(statuses) <= {401, 429, 503}, statuses
        assert statuses.count(401) + statuses.count(503) <= 10
        assert statuses.count(429) >= 20
        assert all(int(r.headers["Retry-After"]) > 0 for r in responses
                   if r.status_code in (429, 503))
        print(f"idle RSS {idle / 2**20:.0f} MiB, peak {peak[0] / 2**20:.0f} MiB, "
              f"401={statuses.count(401)} 429={statuses.count(429)} "
              f"503={statuses.count(503)}")
        assert peak[0] < 2 * idle, (idle, peak[0])
    finally:
        server.stop()


@pytest.mark.parametrize(("path", "body"), [
    ("/api/auth/pin", {"password": "wrong-password-xyz", "pin": "123456"}),
    ("/api/auth/password", {"current_password": "wrong-password-xyz",
                            "new_password": "Another synthetic pass 42"}),
])
def test_password_checks_behind_pin_and_password_changes_are_limited(
        tmp_path: Path, backend: Backend, path: str, body: dict[str, Any]) -> None:
    world: World = build_world(tmp_path, backend, login_max_attempts=10)
    client = Api(create_app(world.runtime))
    client.login(world.alice)
    statuses = [client.put(path, json=body).status_code for _ in range(25)]
    assert statuses.count(422) == 10
    assert statuses.count(429) == 15
    assert client.put(path, json=body).headers["Retry-After"]


@pytest.mark.parametrize("pin", ["١٢٣٤٥٦", "１２３４５６", "12\u0663456"])
def test_non_ascii_digits_in_a_pin_are_422_naming_the_field(api: Api, pin: str) -> None:
    response = api.put("/api/auth/pin", json={"password": "synthetic-password-1", "pin": pin})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["path"] == "pin"
    case = api.create_case()
    signed = api.post(f"/api/session/{case['case_id']}/sign", case["version"],
                      json={"pin": pin})
    assert signed.status_code == 422, signed.text
    assert signed.json()["errors"][0]["path"] == "pin"
