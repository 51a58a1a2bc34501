"""CPU per request, in process: the whole ASGI app (middleware, authentication, rate limit,
idempotency, orchestrator, encryption, provenance, audit, snapshot, JSON) driven directly on
the embedded SQLite store, without HTTP parsing or a network. CPU seconds (all threads) are
far less sensitive to other work on a shared machine than wall-clock throughput, so this is
the figure to compare between commits on a noisy machine.

    .venv/bin/python benchmarks/cpu_per_request.py [--requests 300] [--postgres]

``--postgres`` runs it on a throwaway PostgreSQL database (``WOUNDCARE_TEST_PG_URL``, else
127.0.0.1:5432) with the rate limit in Redis (``--redis-url``), as the server runs in
production; the figure is then this process's CPU only (PostgreSQL's own is not counted).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(os.environ.get("WOUNDCARE_BENCH_ROOT", Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(ROOT))

from tests.api.conftest import Backend, build_world  # noqa: E402
from woundcare.api.app import create_app  # noqa: E402
from woundcare.logging import configure_logging  # noqa: E402
from woundcare.storage import Database, migrate  # noqa: E402


class Driver:
    def __init__(self, app: Any, token: str) -> None:
        self.app, self.token = app, token

    async def call(self, method: str, path: str, body: bytes = b"",
                   headers: tuple[tuple[bytes, bytes], ...] = ()) -> tuple[int, bytes]:
        hdrs = [(b"host", b"bench"), *headers]
        if self.token:
            hdrs.append((b"authorization", f"Bearer {self.token}".encode()))
        if body:
            hdrs += [(b"content-type", b"application/json"),
                     (b"content-length", str(len(body)).encode())]
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
                 "query_string": b"", "root_path": "", "headers": hdrs,
                 "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 80), "state": {}}
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        out: dict[str, Any] = {"body": b""}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                out["status"] = message["status"]
            elif message["type"] == "http.response.body":
                out["body"] += message.get("body", b"")

        await self.app(scope, receive, send)
        return int(out["status"]), bytes(out["body"])


async def measure(driver: Driver, case_id: str, version: int, n: int) -> dict[str, float]:
    cpu: dict[str, float] = {}
    started = time.process_time()
    for index in range(n):
        body = json.dumps({"patient": {"first_name": f"Bench{index % 2}",
                                       "notes": f"synthetic note {index % 2}"}}).encode()
        status, answer = await driver.call(
            "POST", f"/api/session/{case_id}/bio", body,
            ((b"if-match", f'"{version}"'.encode()),
             (b"idempotency-key", f"bench-{time.time_ns()}".encode())))
        assert status == 200, answer[:300]
        version = json.loads(answer)["version"]
    cpu["autosave"] = (time.process_time() - started) / n * 1000
    started = time.process_time()
    for _ in range(n):
        status, answer = await driver.call("GET", f"/api/session/{case_id}")
        assert status == 200, answer[:300]
    cpu["snapshot read"] = (time.process_time() - started) / n * 1000
    cpu["snapshot bytes"] = float(len(answer))
    return cpu


async def run(app: Any, email: str, password: str, n: int) -> dict[str, float]:
    """Log in, open a case and measure, all on one event loop (the Redis client's)."""
    driver = Driver(app, "")
    status, answer = await driver.call("POST", "/api/auth/token", json.dumps(
        {"email": email, "password": password}).encode())
    assert status == 200, answer[:300]
    driver.token = json.loads(answer)["access_token"]
    status, answer = await driver.call("POST", "/api/cases", b"{}")
    assert status == 201, answer[:300]
    case = json.loads(answer)
    status, answer = await driver.call(
        "POST", f"/api/session/{case['case_id']}/events/BEGIN",
        headers=((b"if-match", f'"{case["version"]}"'.encode()),))
    assert status == 200, answer[:300]
    case = json.loads(answer)
    for _ in range(2):  # warm: first requests build routes and caches
        await measure(driver, case["case_id"], case["version"], 20)
        status, answer = await driver.call("GET", f"/api/session/{case['case_id']}")
        case = json.loads(answer)
    return await measure(driver, case["case_id"], case["version"], n)


def _backend(stack: ExitStack, tmp: Path, postgres: bool) -> Backend:
    if not postgres:
        url = f"sqlite:///{tmp / 'bench.db'}"
        migrate.upgrade(url)
        database = Database(url)
        return Backend("sqlite", url, database, database)
    from tests.pg_harness import acquire_server, throwaway_database

    server = acquire_server()
    if server is None:
        raise SystemExit("no PostgreSQL server (set WOUNDCARE_TEST_PG_URL)")
    stack.callback(server.stop)
    pg = stack.enter_context(throwaway_database(server, migrated=True))
    url = pg.app_url.render_as_string(hide_password=False)
    backend = Backend("postgresql", url, Database(url), Database(pg.owner_url))
    stack.callback(backend.owner.dispose)
    return backend


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        backend = _backend(stack, Path(tmp), args.postgres)
        database = backend.app
        extra = ({"redis_url": args.redis_url,
                  "redis_key_prefix": f"bench-{uuid.uuid4().hex[:8]}"}
                 if args.postgres and args.redis_url else {})
        world = build_world(Path(tmp), backend, **extra)
        configure_logging("WARNING", json_lines=True)
        app = create_app(world.runtime)
        cpu = asyncio.run(run(app, world.alice.email, world.alice.password, args.requests))
        database.dispose()
    print(f"command: {' '.join(sys.argv)} (code: {ROOT})")
    print(f"CPU per autosave: {cpu['autosave']:.2f} ms; per snapshot read: "
          f"{cpu['snapshot read']:.2f} ms (after {args.requests} autosaves of one case; "
          f"snapshot {cpu['snapshot bytes'] / 1024:.1f} KiB; {backend.name}); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
