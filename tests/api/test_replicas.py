"""Stateless replicas: two server processes on one PostgreSQL database share sessions, PIN
lockouts and optimistic concurrency."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.conftest import PIN, Api, Backend, World, build_world
from tests.api.flows import phi_in
from tests.api.test_bad_input import _case_at_signing
from woundcare.api.app import create_app

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def replicas(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[World, list[str]]]:
    backend: Backend = request.getfixturevalue("_pg_backend")
    from tests.api.conftest import _truncate

    _truncate(backend.owner)
    world = build_world(tmp_path, backend)
    s = world.runtime.settings
    env = {**os.environ, "WOUNDCARE_PROFILE": "dev", "WOUNDCARE_DATABASE_URL": backend.url,
           "WOUNDCARE_DATA_DIR": str(tmp_path), "WOUNDCARE_PASSWORD_HASH_FAST": "true",
           "WOUNDCARE_BOOTSTRAP_DEMO": "false", "WOUNDCARE_RATE_LIMIT_PER_MINUTE": "100000",
           "FIELD_ENCRYPTION_KEY": s.field_encryption_key.get_secret_value(),  # type: ignore[union-attr]
           "FIELD_ENCRYPTION_KEY_VERSION": s.field_encryption_key_version,
           "WOUNDCARE_SEARCH_HMAC_KEY": s.search_hmac_key.get_secret_value(),  # type: ignore[union-attr]
           "WOUNDCARE_PIN_PEPPER": s.pin_pepper.get_secret_value(),  # type: ignore[union-attr]
           "WOUNDCARE_AUDIT_HMAC_KEY": s.audit_hmac_key.get_secret_value()}  # type: ignore[union-attr]
    processes, urls = [], []
    for _ in range(2):
        port = _free_port()
        env_port = {**env, "WOUNDCARE_PORT": str(port)}
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "woundcare.server"], env=env_port, cwd=tmp_path,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, process in zip(urls, processes, strict=True):
            _wait_ready(url, process)
        yield world, urls
    finally:
        outputs = []
        for process in processes:
            process.terminate()
            out, err = process.communicate(timeout=20)
            outputs.append(out + err)
        for output in outputs:  # the servers' own logs (uvicorn included) carry no PHI
            assert not phi_in(output), output
        _truncate(backend.owner)


def _wait_ready(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.communicate()[1])
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not become ready")


def _bearer(url: str, email: str, password: str) -> dict[str, str]:
    response = httpx.post(f"{url}/api/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _post(url: str, path: str, headers: dict[str, str], version: int,
          **kwargs: Any) -> httpx.Response:
    return httpx.post(f"{url}{path}", headers={**headers, "If-Match": f'"{version}"'},
                      timeout=30, **kwargs)


def test_two_replicas_share_sessions_lockouts_and_versions(
        replicas: tuple[World, list[str]]) -> None:
    world, (one, two) = replicas
    auth = _bearer(one, world.alice.email, world.alice.password)
    created = httpx.post(f"{one}/api/cases", headers=auth, json={})
    assert created.status_code == 201, created.text
    case = created.json()
    # a session made on one replica works on the other
    on_two = httpx.get(f"{two}/api/session/{case['case_id']}", headers=auth)
    assert on_two.status_code == 200
    assert on_two.json()["version"] == case["version"]

    # two concurrent writes with the same If-Match: exactly one wins
    path = f"/api/session/{case['case_id']}/events/BEGIN"
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda url: _post(url, path, auth, case["version"]),
                                (one, two)))
    assert sorted(r.status_code for r in results) == [200, 409]
    conflict = next(r for r in results if r.status_code == 409).json()
    assert conflict["current"]["version"] == case["version"] + 1

    # a PIN lockout made through one replica holds on the other
    local = Api(create_app(world.runtime))
    local.login(world.alice)
    ready = _case_at_signing(local)
    sign, version = f"/api/session/{ready['case_id']}/sign", ready["version"]
    for _ in range(4):
        assert _post(one, sign, auth, version, json={"pin": "000000"}).status_code == 422
    fifth = _post(two, sign, auth, version, json={"pin": "000000"})
    assert fifth.json()["code"] == "pin_locked"
    for url in (one, two):  # even the right PIN is refused now, by either replica
        locked = _post(url, sign, auth, version, json={"pin": PIN})
        assert locked.status_code == 429, locked.text
        assert int(locked.headers["Retry-After"]) > 0
