"""What the benchmarks share: a throwaway PostgreSQL database with its roles, a synthetic
organisation and clinician, pgbench running one workflow step's SQL, and percentiles."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID, uuid4

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy.engine import URL, make_url  # noqa: E402

from tests.pg_harness import PgDatabase, acquire_server, throwaway_database  # noqa: E402
from woundcare.crypto.passwords import PasswordHasher  # noqa: E402
from woundcare.storage import Database  # noqa: E402

# One autosaved step as the application issues it: identity, load, guarded update, one
# multi-row provenance insert (see storage/case_repository.py).
PGBENCH_SCRIPT = """\
BEGIN;
SELECT set_config('woundcare.org_id', :org, true), set_config('woundcare.clinician_id', :cid, true), set_config('woundcare.role', 'clinician', true);
SELECT * FROM cases WHERE id = :case;
UPDATE cases SET payload = payload, encrypted_fields = encrypted_fields, version = version + 1, provenance_count = provenance_count + 2, updated_at = now() WHERE id = :case AND version = version;
INSERT INTO provenance (id, case_id, organisation_id, seq, at, actor_kind, actor_id, field_path, state, prev_hash, hash) SELECT gen_random_uuid(), id, organisation_id, provenance_count - 2 + g, now(), 'person', 'bench', 'patient.first_name', 'BIO_INTAKE', repeat('0', 64), repeat('1', 64) FROM cases, generate_series(0, 1) g WHERE id = :case;
COMMIT;
"""


@contextmanager
def bench_database() -> Iterator[PgDatabase]:
    server = acquire_server()
    if server is None:
        raise SystemExit("no PostgreSQL server available")
    with throwaway_database(server) as database:
        yield database


def add_clinician(owner_url: URL, password: str) -> tuple[UUID, UUID, str]:
    """A synthetic organisation and clinician; returns (org, clinician, email)."""
    org, clinician = uuid4(), uuid4()
    email = f"bench-{org.hex[:8]}@example.test"
    owner = Database(owner_url)
    with owner.unit_of_work(None) as uow:
        uow.organisations.create("Bench Clinic (synthetic)", organisation_id=org)
        uow.clinicians.create(email=email, display_name="Bench Clinician (synthetic)",
                              organisation_id=org, clinician_id=clinician,
                              password_hash=PasswordHasher(fast=True).hash(password))
    owner.dispose()
    return org, clinician, email


# A snapshot read's core SQL: identity and the case row (the baseline for reads).
PGBENCH_READ_SCRIPT = """\
BEGIN;
SELECT set_config('woundcare.org_id', :org, true), set_config('woundcare.clinician_id', :cid, true), set_config('woundcare.role', 'clinician', true);
SELECT * FROM cases WHERE id = :case;
COMMIT;
"""


def pgbench(app_url: URL, seconds: int, org: UUID, clinician: UUID,
            case: UUID | list[UUID], *, clients: int = 1,
            script: str = PGBENCH_SCRIPT) -> tuple[list[float], float]:
    """Run ``script`` as the application role for ``seconds`` with ``clients`` connections;
    (latencies ms, tps). With a list of cases, client ``n`` works on ``cases[n]`` (the id is
    picked from a constant array inside each statement: no extra round trip)."""
    binary = shutil.which("pgbench") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None)
    if binary is None:
        raise SystemExit("pgbench not found")
    url = make_url(app_url)
    cases = case if isinstance(case, list) else [case]
    if len(cases) > 1:
        script = script.replace(":case", "(:cases::uuid[])[:client_id + 1]")
        variables = ["-D", "cases='{" + ",".join(str(c) for c in cases) + "}'"]
    else:
        variables = ["-D", f"case='{cases[0]}'"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "step.sql"
        path.write_text(script)
        env = dict(os.environ, PGPASSWORD=url.password or "")
        cmd = [str(binary), "-n", "-c", str(clients), "-j", str(min(clients, os.cpu_count() or 1)),
               "-T", str(seconds), "-l", "--log-prefix",
               str(Path(tmp) / "log"), "-f", str(path), "-h", url.host or "127.0.0.1",
               "-p", str(url.port or 5432), "-U", url.username or "", url.database or "",
               "-D", f"org='{org}'", "-D", f"cid='{clinician}'", *variables]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
        latencies = [int(line.split()[2]) / 1000  # microseconds -> ms
                     for log in Path(tmp).glob("log*") for line in log.read_text().splitlines()]
    match = re.search(r"tps = ([0-9.]+)", out)
    assert match, out
    return latencies, float(match.group(1))


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))]


def report(rows: list[tuple[str, list[float], float]]) -> None:
    """Print the machine, the command, p50/p99/throughput per row and the ratios to the last."""
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}")
    print(f"command: {' '.join(sys.argv)}")
    print(f"{'':<38}{'p50 ms':>9}{'p99 ms':>9}{'per s':>9}{'n':>7}")
    for name, latencies, rate in rows:
        print(f"{name:<38}{percentile(latencies, 50):>9.2f}{percentile(latencies, 99):>9.2f}"
              f"{rate:>9.1f}{len(latencies):>7}")
    base_name, base, base_rate = rows[-1]
    for name, latencies, rate in rows[:-1]:
        print(f"ratio {name} / {base_name}: p50 "
              f"{percentile(latencies, 50) / percentile(base, 50):.1f}x, p99 "
              f"{percentile(latencies, 99) / percentile(base, 99):.1f}x, throughput "
              f"{base_rate / rate:.1f}x lower")
