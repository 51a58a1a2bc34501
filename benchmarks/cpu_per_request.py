"""CPU per request, in process: the whole ASGI app (middleware, authentication, rate limit,
idempotency, orchestrator, encryption, provenance, audit, snapshot, JSON) driven directly on
the embedded SQLite store, without HTTP parsing or a network. CPU seconds (all threads) are
far less sensitive to other work on a shared machine than wall-clock throughput, so this is
the figure to compare between commits on a noisy machine.

    .venv/bin/python benchmarks/cpu_per_request.py [--requests 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(os.environ.get("WOUNDCARE_BENCH_ROOT", Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(ROOT))

from tests.api.conftest import Api, Backend, build_world  # noqa: E402
from woundcare.api.app import create_app  # noqa: E402
from woundcare.logging import configure_logging  # noqa: E402
from woundcare.storage import Database, migrate  # noqa: E402


class Driver:
    def __init__(self, app: Any, token: str) -> None:
        self.app, self.token = app, token

    async def call(self, method: str, path: str, body: bytes = b"",
                   headers: tuple[tuple[bytes, bytes], ...] = ()) -> tuple[int, bytes]:
        hdrs = [(b"host", b"bench"), (b"authorization", f"Bearer {self.token}".encode()),
                *headers]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        migrate.upgrade(url)
        database = Database(url)
        world = build_world(Path(tmp), Backend("sqlite", url, database, database))
        configure_logging("WARNING", json_lines=True)
        app = create_app(world.runtime)
        api = Api(app)
        api.login(world.alice)
        token = api.http.post("/api/auth/token", json={
            "email": world.alice.email, "password": world.alice.password}).json()["access_token"]
        case = api.fire(api.create_case(), "BEGIN")
        cpu = asyncio.run(measure(Driver(app, token), case["case_id"], case["version"],
                                  args.requests))
        database.dispose()
    print(f"command: {' '.join(sys.argv)} (code: {ROOT})")
    print(f"CPU per autosave: {cpu['autosave']:.2f} ms; per snapshot read: "
          f"{cpu['snapshot read']:.2f} ms (after {args.requests} autosaves of one case; "
          f"snapshot {cpu['snapshot bytes'] / 1024:.1f} KiB); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
