"""Two replicas behind nginx, the production topology in miniature: two ``woundcare serve``
processes (stateless) behind Debian's nginx (round robin), one PostgreSQL reached through
PgBouncer in transaction-pooling mode, one Redis for the rate-limit counters, one
S3-compatible store (moto in server mode). Everything runs on loopback, started here on random
ports in temporary directories and stopped at the end.

What must hold across replicas: sessions, log-in rate limits and the per-client limit (shared
counters, exactly the limit in total), PIN lockouts, idempotent replays, optimistic-concurrency
conflicts, and files (written by one replica, read by the other).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.api.conftest import PIN, Api, Backend, World, build_world
from tests.api.flows import phi_in
from tests.api.test_bad_input import _case_at_signing
from tests.processes import (
    nginx,
    pgbouncer,
    redis_server,
    stop,
    wait_ready,
    woundcare_server,
)
from woundcare.storage import Database

pytestmark = [pytest.mark.postgres]

RATE_LIMIT = 120  # per client address per minute, shared by both replicas
# (the rest of the test stays far below it from 127.0.0.1; the check uses its own address)
LOGIN_LIMIT = 3  # failed log-ins per account and client before 429

_AWS = {"AWS_ACCESS_KEY_ID": "zztest-access-key", "AWS_SECRET_ACCESS_KEY": "zztest-secret-key",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}


@dataclass
class Cluster:
    world: World
    front: str  # nginx
    replicas: list[str]  # each replica directly
    logs: list[Path]


def _moto(stack: ExitStack) -> str:
    from moto.server import ThreadedMotoServer

    patch = stack.enter_context(pytest.MonkeyPatch.context())
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        patch.delenv(name, raising=False)
    for name, value in _AWS.items():
        patch.setenv(name, value)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    stack.callback(server.stop)
    host, port = server.get_host_and_port()
    return f"http://{host}:{port}"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, pg_server: Any) -> Iterator[Cluster]:
    from tests.pg_harness import throwaway_database
    from woundcare.blobs.s3 import S3BlobStore

    tmp = tmp_path_factory.mktemp("replicas")
    with ExitStack() as stack:
        database = stack.enter_context(throwaway_database(pg_server, migrated=True))
        app_url = make_url(database.app_url)
        owner = Database(database.owner_url)
        stack.callback(owner.dispose)
        app_db = Database(app_url)
        stack.callback(app_db.dispose)
        backend = Backend("postgresql", app_url.render_as_string(hide_password=False), app_db,
                          owner)
        world = build_world(tmp, backend, cookie_secure=False)
        s = world.runtime.settings

        endpoint = _moto(stack)
        bucket = f"zztest-{uuid.uuid4().hex[:12]}"
        S3BlobStore(bucket, endpoint_url=endpoint, region_name="us-east-1").ensure_bucket()
        redis_url = stack.enter_context(redis_server(tmp / "redis"))
        bouncer = stack.enter_context(pgbouncer(
            tmp / "pgbouncer", app_url.host or "127.0.0.1", app_url.port or 5432,
            app_url.database or "", {app_url.username or "": app_url.password or ""}))
        via_bouncer = app_url.set(host="127.0.0.1", port=bouncer)

        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("WOUNDCARE_", "FIELD_"))}
        env.update(_AWS)
        env.update({
            "WOUNDCARE_PROFILE": "dev", "WOUNDCARE_HOST": "127.0.0.1",
            "WOUNDCARE_DATABASE_URL": via_bouncer.render_as_string(hide_password=False),
            "WOUNDCARE_DB_PREPARED_STATEMENTS": "false", "WOUNDCARE_DB_POOL_SIZE": "4",
            "WOUNDCARE_REDIS_URL": redis_url, "WOUNDCARE_REDIS_KEY_PREFIX": "replicas-test",
            "WOUNDCARE_BLOB_BACKEND": "s3", "WOUNDCARE_S3_ENDPOINT_URL": endpoint,
            "WOUNDCARE_S3_BUCKET": bucket, "WOUNDCARE_DATA_DIR": str(tmp / "data"),
            "WOUNDCARE_PASSWORD_HASH_FAST": "true", "WOUNDCARE_BOOTSTRAP_DEMO": "false",
            "WOUNDCARE_COOKIE_SECURE": "false", "WOUNDCARE_FORWARDED_ALLOW_IPS": "127.0.0.1",
            "WOUNDCARE_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
            "WOUNDCARE_LOGIN_MAX_ATTEMPTS": str(LOGIN_LIMIT), "WOUNDCARE_LOG_JSON": "true",
            "FIELD_ENCRYPTION_KEY": s.field_encryption_key.get_secret_value(),  # type: ignore[union-attr]
            "FIELD_ENCRYPTION_KEY_VERSION": s.field_encryption_key_version,
            "WOUNDCARE_SEARCH_HMAC_KEY": s.search_hmac_key.get_secret_value(),  # type: ignore[union-attr]
            "WOUNDCARE_PIN_PEPPER": s.pin_pepper.get_secret_value(),  # type: ignore[union-attr]
            "WOUNDCARE_AUDIT_HMAC_KEY": s.audit_hmac_key.get_secret_value(),  # type: ignore[union-attr]
        })
        replicas, logs, upstreams = [], [], []
        for index in range(2):
            from tests.processes import free_port

            port = free_port()
            log = tmp / f"replica-{index}.log"
            process = woundcare_server({**env, "WOUNDCARE_PORT": str(port)}, tmp, log,
                                       ("--workers", "1"))
            stack.callback(stop, process)
            replicas.append(f"http://127.0.0.1:{port}")
            upstreams.append(f"127.0.0.1:{port}")
            logs.append(log)
            wait_ready(replicas[-1], process)
        front = stack.enter_context(nginx(tmp / "nginx", upstreams))
        yield Cluster(world, front, replicas, logs)
    for log in logs:  # the servers' own logs (uvicorn included) carry no PHI
        assert not phi_in(log.read_text(errors="replace"))


def _client(base: str, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=base, headers=headers, timeout=30)


def _token(base: str, email: str, password: str) -> str:
    with _client(base) as http:
        response = http.post("/api/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _api(base: str, token: str) -> Api:
    """The API tests' client, speaking HTTP to a real server instead of the in-process app."""
    api = Api.__new__(Api)
    api.http = _client(base)  # type: ignore[assignment]
    api.csrf, api.bearer = None, token
    return api


def test_sessions_conflicts_replays_lockouts_limits_and_files_hold_across_replicas(
        cluster: Cluster) -> None:
    world, (one, two) = cluster.world, cluster.replicas
    alice = world.alice
    token = _token(cluster.front, alice.email, alice.password)
    via = {name: _api(base, token) for name, base in
           (("front", cluster.front), ("one", one), ("two", two))}

    # sessions: made behind nginx, valid on each replica directly
    case = via["front"].fire(via["front"].create_case(), "BEGIN")
    for name in ("one", "two"):
        seen = via[name].get(f"/api/session/{case['case_id']}")
        assert seen.status_code == 200
        assert seen.json()["version"] == case["version"]
    for _ in range(6):  # round robin: both replicas answer the front door
        assert via["front"].get("/api/auth/me").status_code == 200
    answered = [log.read_text().count("http.request") for log in cluster.logs]
    assert all(count >= 3 for count in answered), answered

    # conflicts: two writes with one If-Match, one on each replica, exactly one wins
    path = f"/api/session/{case['case_id']}/bio"
    body = {"patient": {"first_name": "Sampleton"}}
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda name: via[name].post(path, case["version"], json=body),
                                ("one", "two")))
    assert sorted(r.status_code for r in results) == [200, 409], [r.text for r in results]
    won = next(r for r in results if r.status_code == 200).json()
    lost = next(r for r in results if r.status_code == 409).json()
    assert lost["current"]["version"] == won["version"]

    # idempotency: a retry of the same write on the other replica is replayed, not re-run
    key = f"replay-{uuid.uuid4().hex}"
    first = via["one"].post(path, won["version"], key=key, json={"patient": {"sex": "female"}})
    again = via["two"].post(path, won["version"], key=key, json={"patient": {"sex": "female"}})
    assert first.status_code == again.status_code == 200, again.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["version"] == first.json()["version"] == won["version"] + 1
    reused = via["front"].post(path, won["version"], key=key, json={"patient": {"sex": "male"}})
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"

    # files: uploaded through one replica into S3, read back through the other
    content = b"Synthetic referral letter for Sampleton Testcase.\n"
    current = first.json()
    uploaded = via["one"].http.post(
        f"/api/session/{case['case_id']}/artifacts",
        headers={**via["one"].headers(current["version"])},
        data={"kind": "document"}, files={"file": ("letter.txt", content, "text/plain")})
    assert uploaded.status_code in (200, 201), uploaded.text
    artifact_id = next(a["artifact_id"] for a in uploaded.json()["record"]["artifacts"])
    fetched = via["two"].get(f"/api/session/{case['case_id']}/artifacts/{artifact_id}")
    assert fetched.status_code == 200
    assert fetched.content == content

    # PIN lockouts: four wrong PINs on one replica, the fifth on the other locks; both refuse
    ready = _case_at_signing(via["front"])
    sign, version = f"/api/session/{ready['case_id']}/sign", ready["version"]
    for _ in range(4):
        assert via["one"].post(sign, version, json={"pin": "000000"}).status_code == 422
    fifth = via["two"].post(sign, version, json={"pin": "000000"})
    assert fifth.json()["code"] == "pin_locked", fifth.text
    for name in ("one", "two"):
        locked = via[name].post(sign, version, json={"pin": PIN})
        assert locked.status_code == 429
        assert int(locked.headers["Retry-After"]) > 0

    # log-in limits and the per-client limit, from a client of their own (an address the
    # replicas take from X-Forwarded-For: 127.0.0.1 is a trusted proxy): requests alternate
    # between the replicas, the counters are shared, so exactly the limit passes in total
    forwarded = {"X-Forwarded-For": "203.0.113.77"}
    codes = []
    for index in range(LOGIN_LIMIT + 2):
        with _client((one, two)[index % 2]) as http:
            codes.append(http.post("/api/auth/token", headers=forwarded,
                                   json={"email": world.bob.email, "password": "wrong"}
                                   ).status_code)
    assert codes[:LOGIN_LIMIT] == [401] * LOGIN_LIMIT
    assert codes[LOGIN_LIMIT:] == [429, 429]

    other = {"X-Forwarded-For": "203.0.113.78"}
    with _client(one, token) as first_http, _client(two, token) as second_http:
        statuses = [(first_http, second_http)[index % 2].get("/api/auth/me", headers=other)
                    .status_code for index in range(RATE_LIMIT + 2)]
    assert statuses[:RATE_LIMIT] == [200] * RATE_LIMIT, statuses
    assert statuses[RATE_LIMIT:] == [429, 429]
