"""API write benchmark: autosave writes through HTTP (a real ``woundcare serve`` process on
loopback: authentication, rate limit, idempotency, audit, orchestrator, encryption,
provenance, RLS) against ``pgbench`` running one step's core SQL on the same database, side by
side in one run. Sequential requests over one keep-alive connection, like one clinician's
autosave queue.

    .venv/bin/python benchmarks/api_write.py [--requests 300] [--seconds 10]
"""

from __future__ import annotations

import argparse
import base64
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from typing import Any

import httpx
from _common import ROOT, add_clinician, bench_database, pgbench, report


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def start_server(app_url: Any, port: int, extra_env: dict[str, str] | None = None,
                 args: list[str] | None = None,
                 log: str = "") -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WOUNDCARE_", "FIELD_"))}
    env.update(
        WOUNDCARE_PROFILE="dev", WOUNDCARE_DATABASE_URL=app_url.render_as_string(False),
        WOUNDCARE_PORT=str(port), WOUNDCARE_HOST="127.0.0.1",
        WOUNDCARE_DATA_DIR=str(ROOT / ".data" / "bench"), FIELD_ENCRYPTION_KEY=key(),
        FIELD_ENCRYPTION_KEY_VERSION="b1", WOUNDCARE_SEARCH_HMAC_KEY=key(),
        WOUNDCARE_PIN_PEPPER=key(), WOUNDCARE_AUDIT_HMAC_KEY=key(),
        WOUNDCARE_RATE_LIMIT_PER_MINUTE="1000000", WOUNDCARE_LOG_LEVEL="WARNING",
        WOUNDCARE_BOOTSTRAP_DEMO="false",
    )
    env.update(extra_env or {})
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - the child keeps it
    # its own process group: a server that never became ready is killed with its workers
    proc = subprocess.Popen([sys.executable, "-m", "woundcare.cli", "serve", *(args or [])],
                            env=env, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 120  # several workers on a busy machine take a while
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit("the server did not become ready")


def new_case(http: httpx.Client) -> dict[str, Any]:
    case = http.post("/api/cases", json={}).json()
    return dict(http.post(f"/api/session/{case['case_id']}/events/BEGIN",
                          headers={"If-Match": f'"{case["version"]}"'}).json())


def api_writes(port: int, email: str, password: str, requests: int,
               per_case: int) -> tuple[list[float], float, str]:
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
        token = http.post("/api/auth/token", json={"email": email, "password": password})
        token.raise_for_status()
        http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        latencies: list[float] = []
        elapsed = 0.0
        case: dict[str, Any] = {}
        version = 0
        for index in range(requests):
            if index % per_case == 0:
                case = new_case(http)  # not timed
                version = case["version"]
            t0 = time.perf_counter()
            response = http.post(
                f"/api/session/{case['case_id']}/bio",
                json={"patient": {"first_name": f"Bench{index % 2}",
                                  "notes": f"synthetic note {index % 2}"}},
                headers={"If-Match": f'"{version}"', "Idempotency-Key": str(uuid.uuid4())})
            latencies.append((time.perf_counter() - t0) * 1000)
            elapsed += latencies[-1] / 1000
            response.raise_for_status()
            version = response.json()["version"]
        return latencies, requests / elapsed, case["case_id"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--per-case", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    with bench_database() as database:
        org, clinician, email = add_clinician(database.owner_url, "synthetic-pass")
        port = free_port()
        server = start_server(database.app_url, port)
        try:
            http_lat, http_rate, case_id = api_writes(port, email, "synthetic-pass",
                                                      args.requests, args.per_case)
        finally:
            server.terminate()
            server.wait(timeout=10)
        pg_lat, pg_rate = pgbench(database.app_url, args.seconds, org, clinician,
                                  uuid.UUID(case_id))
    report([("API write, HTTP (one client)", http_lat, http_rate),
            ("pgbench, step SQL (app role, RLS)", pg_lat, pg_rate)])


if __name__ == "__main__":
    main()
