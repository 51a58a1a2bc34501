"""Log-in burst benchmark: a real ``woundcare serve`` on the embedded default (SQLite, production
Argon2id, 64 MiB per check) takes bursts of parallel wrong passwords; prints the answers, the
latency p50/p90/p99, the throughput and the server's resident memory (idle and peak). Each
burst uses its own unknown e-mail addresses so the per-account limit does not hide the Argon2
work (unknown addresses are hashed too, against a dummy hash).

    .venv/bin/python benchmarks/login_burst.py [--parallel 30] [--rounds 3] [--budget-mb 64]
"""

from __future__ import annotations

import argparse
import base64
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from _common import percentile


def key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parallel", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--budget-mb", type=int, default=64)
    args = parser.parse_args()
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = tempfile.mkdtemp(prefix="woundcare-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WOUNDCARE_", "FIELD_"))}
    env.update(WOUNDCARE_PROFILE="dev", WOUNDCARE_PORT=str(port), WOUNDCARE_DATA_DIR=data,
               FIELD_ENCRYPTION_KEY=key(), WOUNDCARE_SEARCH_HMAC_KEY=key(),
               WOUNDCARE_PIN_PEPPER=key(), WOUNDCARE_AUDIT_HMAC_KEY=key(),
               WOUNDCARE_BOOTSTRAP_DEMO="false", WOUNDCARE_LOG_LEVEL="WARNING",
               WOUNDCARE_RATE_LIMIT_PER_MINUTE="1000000",
               WOUNDCARE_LOGIN_MAX_ATTEMPTS_PER_CLIENT="1000000",
               WOUNDCARE_ARGON2_MEMORY_BUDGET_MB=str(args.budget_mb))
    proc = subprocess.Popen([sys.executable, "-m", "woundcare.server"], env=env, cwd=data,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        idle = rss(proc.pid)
        peak = [idle]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], rss(proc.pid))
                stop.wait(0.005)

        sampler = threading.Thread(target=sample)
        sampler.start()
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        started = time.perf_counter()

        def attempt(n: int) -> None:
            t0 = time.perf_counter()
            response = httpx.post(f"{url}/api/auth/login", timeout=120, json={
                "email": f"nobody{n}@example.test", "password": "wrong-password-xyz"})
            latencies.append((time.perf_counter() - t0) * 1000)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        for round_ in range(args.rounds):
            with ThreadPoolExecutor(args.parallel) as pool:
                list(pool.map(attempt, range(round_ * args.parallel,
                                             (round_ + 1) * args.parallel)))
        elapsed = time.perf_counter() - started
        stop.set()
        sampler.join()
        print(f"command: {' '.join(sys.argv)}")
        print(f"{args.rounds} bursts of {args.parallel} parallel wrong log-ins, Argon2 budget "
              f"{args.budget_mb} MiB: statuses {statuses}")
        print(f"latency ms p50 {percentile(latencies, 50):.0f}  p90 "
              f"{percentile(latencies, 90):.0f}  p99 {percentile(latencies, 99):.0f}; "
              f"{len(latencies) / elapsed:.1f} log-ins/s")
        print(f"server RSS idle {idle / 2**20:.0f} MiB, peak {peak[0] / 2**20:.0f} MiB "
              f"({peak[0] / idle:.2f}x)")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
