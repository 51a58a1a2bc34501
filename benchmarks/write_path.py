"""Write-path benchmark: one autosaved workflow step through the real application stack
(orchestrator, agent, validation, envelope encryption, provenance chain, RLS as the app role)
against PostgreSQL's own ``pgbench`` running the same SQL statements on the same database,
side by side in one run (these machines are noisy: compare the ratio, not the absolute).

    .venv/bin/python benchmarks/write_path.py [--steps 400] [--seconds 10]

Needs a PostgreSQL server (WOUNDCARE_TEST_PG_URL, 127.0.0.1:5432, or a throwaway cluster) and
the ``pgbench`` binary. Prints p50/p99 latency and throughput for both, and their ratios.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from uuid import UUID, uuid4

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy.engine import make_url  # noqa: E402

from tests.pg_harness import acquire_server, throwaway_database  # noqa: E402
from woundcare.agents.base import Actor  # noqa: E402
from woundcare.crypto.devkeys import KeyMaterial  # noqa: E402
from woundcare.crypto.keyring import KeyRing, encode_key  # noqa: E402
from woundcare.crypto.passwords import PasswordHasher  # noqa: E402
from woundcare.domain.enums import WorkflowEvent  # noqa: E402
from woundcare.domain.inputs import BioInput  # noqa: E402
from woundcare.domain.record import Patient  # noqa: E402
from woundcare.storage import Database, Identity  # noqa: E402
from woundcare.storage.case_repository import SqlCaseStore  # noqa: E402
from woundcare.workflow.orchestrator import Orchestrator  # noqa: E402

PGBENCH_SCRIPT = """\
BEGIN;
SELECT set_config('woundcare.org_id', :org, true), set_config('woundcare.clinician_id', :cid, true), set_config('woundcare.role', 'clinician', true);
SELECT * FROM cases WHERE id = :case;
UPDATE cases SET payload = payload, encrypted_fields = encrypted_fields, version = version + 1, provenance_count = provenance_count + 2, updated_at = now() WHERE id = :case AND version = version;
INSERT INTO provenance (id, case_id, organisation_id, seq, at, actor_kind, actor_id, field_path, state, prev_hash, hash) SELECT gen_random_uuid(), id, organisation_id, provenance_count - 2 + g, now(), 'person', 'bench', 'patient.first_name', 'BIO_INTAKE', repeat('0', 64), repeat('1', 64) FROM cases, generate_series(0, 1) g WHERE id = :case;
COMMIT;
"""


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def app_steps(app_url: object, keys: KeyMaterial, steps: int) -> tuple[list[float], float]:
    db = Database(app_url)  # type: ignore[arg-type]
    org, clinician = uuid4(), uuid4()
    owner_db = Database(OWNER_URL)  # type: ignore[arg-type]
    with owner_db.unit_of_work(None) as uow:
        uow.organisations.create("Bench Clinic (synthetic)", organisation_id=org)
        uow.clinicians.create(email=f"bench-{org.hex[:6]}@example.test",
                              display_name="Bench", organisation_id=org, clinician_id=clinician,
                              password_hash=PasswordHasher(fast=True).hash("synthetic-pass"))
    owner_db.dispose()
    identity, actor = Identity(org, clinician), Actor.clinician(clinician)
    with db.unit_of_work(identity) as uow:
        orch = Orchestrator(SqlCaseStore(uow.conn, identity, keys))
        case_id = orch.create_case(organisation_id=org, owner_id=clinician,
                                   actor=actor).record.case_id
        orch.fire(case_id, WorkflowEvent.BEGIN, actor, expected_version=1)
    latencies: list[float] = []
    version = 2
    started = time.perf_counter()
    for index in range(steps):
        t0 = time.perf_counter()
        with db.unit_of_work(identity) as uow:
            orch = Orchestrator(SqlCaseStore(uow.conn, identity, keys))
            outcome = orch.submit(case_id, BioInput(patient=Patient(
                first_name=f"Bench{index % 2}", notes=f"synthetic note {index % 2}")),
                actor, expected_version=version)
            version = outcome.record.version
        latencies.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    global BENCH_CASE, BENCH_ORG, BENCH_CLINICIAN
    BENCH_CASE, BENCH_ORG, BENCH_CLINICIAN = case_id, org, clinician
    db.dispose()
    return latencies, steps / elapsed


def pgbench(app_url: object, seconds: int) -> tuple[list[float], float]:
    binary = shutil.which("pgbench") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None)
    if binary is None:
        raise SystemExit("pgbench not found")
    url = make_url(app_url)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "step.sql"
        script.write_text(PGBENCH_SCRIPT)
        env = dict(os.environ, PGPASSWORD=url.password or "")
        cmd = [str(binary), "-n", "-c", "1", "-T", str(seconds), "-l", "--log-prefix",
               str(Path(tmp) / "log"), "-f", str(script), "-h", url.host or "127.0.0.1",
               "-p", str(url.port or 5432), "-U", url.username or "", url.database or "",
               "-D", f"org='{BENCH_ORG}'", "-D", f"cid='{BENCH_CLINICIAN}'",
               "-D", f"case='{BENCH_CASE}'"]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
        latencies = []
        for log in Path(tmp).glob("log*"):
            for line in log.read_text().splitlines():
                latencies.append(int(line.split()[2]) / 1000)  # microseconds → ms
    tps = float(re.search(r"tps = ([0-9.]+)", out).group(1))  # type: ignore[union-attr]
    return latencies, tps


BENCH_CASE: UUID
BENCH_ORG: UUID
BENCH_CLINICIAN: UUID
OWNER_URL: object


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    server = acquire_server()
    if server is None:
        raise SystemExit("no PostgreSQL server available")
    key = os.urandom(32)
    keys = KeyMaterial(keyring=KeyRing.from_config(encode_key(key), "v1"),
                       search_hmac_key=os.urandom(32), pin_pepper=os.urandom(32),
                       audit_hmac_key=os.urandom(32))
    global OWNER_URL
    with throwaway_database(server) as database:
        OWNER_URL = database.owner_url
        app_lat, app_tps = app_steps(database.app_url, keys, args.steps)
        pg_lat, pg_tps = pgbench(database.app_url, args.seconds)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}")
    print(f"command: {' '.join(sys.argv)}")
    print(f"{'':<34}{'p50 ms':>9}{'p99 ms':>9}{'steps/s':>10}{'n':>7}")
    for name, lat, tps in (("woundcare step (app stack, RLS)", app_lat, app_tps),
                           ("pgbench, same SQL (app role, RLS)", pg_lat, pg_tps)):
        print(f"{name:<34}{percentile(lat, 50):>9.2f}{percentile(lat, 99):>9.2f}"
              f"{tps:>10.1f}{len(lat):>7}")
    print(f"ratio app/pgbench: p50 {percentile(app_lat, 50) / percentile(pg_lat, 50):.1f}x, "
          f"p99 {percentile(app_lat, 99) / percentile(pg_lat, 99):.1f}x, "
          f"throughput {pg_tps / app_tps:.1f}x lower; mean {statistics.mean(app_lat):.2f} ms")


if __name__ == "__main__":
    main()
