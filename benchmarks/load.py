"""Load benchmark: C concurrent clients (default 32), each autosaving its own case and then
reading its snapshot through HTTP against a real ``woundcare serve`` on PostgreSQL, side by
side in one run with ``pgbench`` at C clients on C cases running the same step's SQL (writes)
and the case-row read (reads). Prints p50/p99/throughput, the ratios and the server's resident
memory (all its processes) before and after.

    .venv/bin/python benchmarks/load.py [--clients 32] [--seconds 10] [--workers N]
        [--redis-url redis://127.0.0.1:6379/0 | ""] [--soak 100000] [--py-spy out.json
        [--py-spy-gil]]

``--soak N`` then creates N more cases through HTTP and prints the server's memory after a
warm-up and after the N cases (the ±10 % check). ``--py-spy`` records the server with py-spy
(speedscope format) while the load runs. Each phase also prints the server's CPU per request
(its processes, from /proc) and the whole machine's (from /proc/stat: PostgreSQL's backends,
Redis and the kernel's loopback networking too), and pgbench's machine CPU per transaction.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from _common import (
    PGBENCH_READ_SCRIPT,
    PGBENCH_SCRIPT,
    add_clinician,
    bench_database,
    percentile,
    pgbench,
    report,
)
from _wire import WireClient
from api_write import free_port, start_server

PASSWORD = "synthetic-pass"


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (uvicorn workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by ``pid`` and its descendants: the server's own
    cost per request, which other work on a shared machine hardly changes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for current in _tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy so far (all cores; /proc/stat), which also
    counts what per-process accounting misses here (PostgreSQL's short-lived bursts, the
    kernel's loopback networking)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants (uvicorn workers), in MiB."""
    total = 0
    for current in _tree(pid):
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class Client:
    """One clinician's tab: its own session and its own case."""

    def __init__(self, http: WireClient) -> None:
        self.http = http
        self.case_id = ""
        self.version = 0

    async def setup(self, email: str) -> None:
        token = await self.http.post("/api/auth/token",
                                     json={"email": email, "password": PASSWORD})
        token.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        case = (await self.http.post("/api/cases", json={})).json()
        begun = await self.http.post(f"/api/session/{case['case_id']}/events/BEGIN",
                                     headers={"If-Match": f'"{case["version"]}"'})
        begun.raise_for_status()
        self.case_id, self.version = case["case_id"], begun.json()["version"]

    async def write(self, index: int) -> None:
        response = await self.http.post(
            f"/api/session/{self.case_id}/bio",
            json={"patient": {"first_name": f"Bench{index % 2}",
                              "notes": f"synthetic note {index % 2}"}},
            headers={"If-Match": f'"{self.version}"', "Idempotency-Key": str(uuid.uuid4())})
        response.raise_for_status()
        self.version = response.json()["version"]

    async def read(self, _index: int) -> None:
        response = await self.http.get(f"/api/session/{self.case_id}")
        response.raise_for_status()

    async def create(self, _index: int) -> None:
        response = await self.http.post("/api/cases", json={})
        response.raise_for_status()


async def run_phase(clients: list[Client], kind: str, seconds: float,
                    server_pid: int = 0) -> tuple[list[float], float]:
    """Every client runs ``kind`` back to back for ``seconds``; (latencies ms, requests/s).
    With ``server_pid``, also prints the server's CPU milliseconds per request."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def loop(client: Client) -> None:
        index = 0
        action = getattr(client, kind)
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            await action(index)
            latencies.append((time.perf_counter() - t0) * 1000)
            index += 1

    started, cpu = time.perf_counter(), time.process_time()
    server_cpu = tree_cpu_seconds(server_pid) if server_pid else 0.0
    machine = machine_busy_seconds()
    await asyncio.gather(*(loop(c) for c in clients))
    wall = time.perf_counter() - started
    line = f"{kind}: load generator CPU {(time.process_time() - cpu) / wall * 100:.0f} % of a core"
    if server_pid and latencies:
        used = tree_cpu_seconds(server_pid) - server_cpu
        line += (f"; server CPU {used / len(latencies) * 1000:.2f} ms per request "
                 f"({used / wall * 100:.0f} % of a core)")
        busy = machine_busy_seconds() - machine
        line += f"; machine CPU {busy / len(latencies) * 1000:.2f} ms per request"
    print(line)
    return latencies, len(latencies) / wall


async def run_count(clients: list[Client], total: int) -> None:
    """Create ``total`` cases spread over the clients (the memory soak)."""
    per = -(-total // len(clients))

    async def loop(client: Client) -> None:
        for index in range(per):
            await client.create(index)

    await asyncio.gather(*(loop(c) for c in clients))


async def http_load(port: int, email: str, args: argparse.Namespace,
                    server_pid: int) -> dict[str, Any]:
    # One keep-alive connection per clinician, from a lean client (see _wire.py): the load
    # generator shares the machine with the server and PostgreSQL, as pgbench's C client does.
    https = [WireClient("127.0.0.1", port) for _ in range(args.clients)]
    clients = [Client(http) for http in https]
    try:
        for client in clients:  # sequential: log-ins are deliberately slow
            await client.setup(email)
        await run_phase(clients, "write", 1.0)  # warm-up, not counted
        rss_before = tree_rss_mb(server_pid)
        writes = await run_phase(clients, "write", args.seconds if "write" in args.phases
                                 else 0.5, server_pid)
        reads = await run_phase(clients, "read", args.seconds if "read" in args.phases
                                else 0.5, server_pid)
        rss_after = tree_rss_mb(server_pid)
        soak: tuple[float, float] | None = None
        if args.soak:
            await run_count(clients, min(2000, args.soak))  # warm-up: caches, pools, arenas
            warm = tree_rss_mb(server_pid)
            started = time.perf_counter()
            await run_count(clients, args.soak)
            print(f"soak: {args.soak} cases in {time.perf_counter() - started:.0f} s")
            soak = (warm, tree_rss_mb(server_pid))
        return {"writes": writes, "reads": reads, "rss": (rss_before, rss_after),
                "soak": soak, "cases": [uuid.UUID(c.case_id) for c in clients]}
    finally:
        for http in https:
            await http.aclose()


def measured_pgbench(url: Any, args: argparse.Namespace, org: uuid.UUID,
                     clinician: uuid.UUID, cases: list[uuid.UUID], script: str, kind: str,
                     ) -> tuple[list[float], float]:
    """pgbench's run, with the machine's CPU per transaction printed (to compare with the
    API's machine CPU per request)."""
    before = machine_busy_seconds()
    result = pgbench(url, max(1, round(args.seconds)), org, clinician, cases,
                     clients=args.clients, script=script)
    used = machine_busy_seconds() - before
    print(f"pgbench {kind}: machine CPU {used / max(1, len(result[0])) * 1000:.2f} ms "
          "per transaction")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=None,
                        help="server worker processes (default: the server's own default)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0",
                        help="WOUNDCARE_REDIS_URL for the server (a unique key prefix per "
                             "run; empty: in-process limits and one worker by default)")
    parser.add_argument("--rate-limit", type=int, default=1_000_000,
                        help="per-client requests per minute (all clients share 127.0.0.1)")
    parser.add_argument("--soak", type=int, default=0, help="cases to create for the soak")
    parser.add_argument("--py-spy", default="", help="record the server into this file")
    parser.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                        help="another setting for the server (repeatable), e.g. "
                             "WOUNDCARE_REQUEST_THREADS=3")
    parser.add_argument("--py-spy-gil", action="store_true",
                        help="with --py-spy: sample only the thread holding the interpreter "
                             "lock (where the CPU goes, not where threads wait)")
    parser.add_argument("--phases", default="write,read",
                        help="which phases run for --seconds (the others run briefly, e.g. "
                             "'read' to profile the reads alone)")
    parser.add_argument("--server-log", default="", help="append the server's output here")
    args = parser.parse_args()
    with bench_database() as database:
        org, clinician, email = add_clinician(database.owner_url, PASSWORD)
        port = free_port()
        extra = {"WOUNDCARE_RATE_LIMIT_PER_MINUTE": str(args.rate_limit),
                 "WOUNDCARE_LOGIN_MAX_ATTEMPTS_PER_CLIENT": str(args.clients * 4),
                 "WOUNDCARE_LOGIN_MAX_ATTEMPTS": str(args.clients * 4),
                 "WOUNDCARE_REDIS_URL": args.redis_url}
        extra.update(item.split("=", 1) for item in args.server_env)
        if args.redis_url:
            extra["WOUNDCARE_REDIS_PREFIX"] = f"bench-{uuid.uuid4().hex[:8]}"
        serve_args = [] if args.workers is None else ["--workers", str(args.workers)]
        server = start_server(database.app_url, port, extra, serve_args, args.server_log)
        spy = None
        if args.py_spy:
            import subprocess

            binary = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
            spy = subprocess.Popen([binary, "record", "--subprocesses", "--format",
                                    "speedscope", "--rate", "250", "--nonblocking",
                                    *(["--gil"] if args.py_spy_gil else []),
                                    "-o", args.py_spy, "--pid",
                                    str(server.pid)])
        try:
            result = asyncio.run(http_load(port, email, args, server.pid))
        finally:
            if spy is not None:
                spy.send_signal(2)
                spy.wait(timeout=60)
            server.terminate()
            server.wait(timeout=20)
        pg_write = measured_pgbench(database.app_url, args, org, clinician, result["cases"],
                                    PGBENCH_SCRIPT, "write")
        pg_read = measured_pgbench(database.app_url, args, org, clinician, result["cases"],
                                   PGBENCH_READ_SCRIPT, "read")
    c = args.clients
    report([(f"API autosave, HTTP ({c} clients)", *result["writes"]),
            (f"pgbench, step SQL ({c} clients)", *pg_write)])
    report([(f"API snapshot read, HTTP ({c} clients)", *result["reads"]),
            (f"pgbench, case row read ({c} clients)", *pg_read)])
    write_ratio = result["writes"][1] / pg_write[1]
    read_ratio = result["reads"][1] / pg_read[1]
    print(f"writes: {write_ratio:.3f}x pgbench's rate (target >= 0.30), p99 "
          f"{percentile(result['writes'][0], 99):.0f} ms (target <= 150)")
    print(f"reads: {read_ratio:.3f}x pgbench's rate (target >= 0.15)")
    before, after = result["rss"]
    print(f"server RSS (all processes): {before:.1f} MiB before, {after:.1f} MiB after load")
    if result["soak"] is not None:
        warm, end = result["soak"]
        print(f"soak RSS: {warm:.1f} MiB after warm-up, {end:.1f} MiB after {args.soak} cases "
              f"({(end - warm) / warm * 100:+.1f} %)")
    print(f"server: {args.workers or 'default'} workers, rate limits in "
          f"{'Redis' if args.redis_url else 'the process'}; load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} (other work on the machine)")


if __name__ == "__main__":
    main()
