"""Start-up benchmark: time from launching ``woundcare serve`` on the embedded default
(SQLite, local blobs, development keys, one worker) to the first ``200`` from ``/readyz``.
The first start migrates and creates the demo organisation; the following starts are what
a restart costs. Prints each start, the median and the minimum.

    .venv/bin/python benchmarks/startup.py [--starts 5]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used so far (robust to a loaded machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_ready(data_dir: Path) -> tuple[float, float]:
    port = free_port()
    # as installed: bytecode is cached (PYTHONDONTWRITEBYTECODE would recompile every start)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("WOUNDCARE_", "FIELD_")) and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(WOUNDCARE_DATA_DIR=str(data_dir), WOUNDCARE_PORT=str(port),
               WOUNDCARE_LOG_LEVEL="WARNING")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "woundcare.cli", "serve"], env=env,
                            cwd=data_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < 60:
            if proc.poll() is not None:
                raise SystemExit(f"the server exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
                    if r.status == 200:
                        return time.perf_counter() - started, cpu_seconds(proc.pid)
            except OSError:
                time.sleep(0.01)
        raise SystemExit("not ready within 60 s")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        first, first_cpu = time_to_ready(Path(tmp))
        print(f"first start (migrate + demo organisation): {first:.3f} s, CPU {first_cpu:.2f} s")
        runs = [time_to_ready(Path(tmp)) for _ in range(args.starts)]
    times, cpus = [t for t, _ in runs], [c for _, c in runs]
    print("restarts: " + ", ".join(f"{t:.3f}" for t in times) + " s")
    print(f"time to ready: median {statistics.median(times):.3f} s, min {min(times):.3f} s "
          f"(target <= 0.6 s); server CPU to ready: median {statistics.median(cpus):.2f} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
