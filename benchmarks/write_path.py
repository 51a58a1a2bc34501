"""Write-path benchmark: one autosaved workflow step through the application stack in
process (orchestrator, agent, validation, envelope encryption, provenance chain, RLS as the
application role) against PostgreSQL's own ``pgbench`` running the same SQL statements on the
same database, side by side in one run (machines are noisy: compare the ratio).

    .venv/bin/python benchmarks/write_path.py [--steps 400] [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import time
from uuid import UUID

from _common import add_clinician, bench_database, pgbench, report

from woundcare.agents.base import Actor
from woundcare.crypto.devkeys import KeyMaterial
from woundcare.crypto.keyring import KeyRing, encode_key
from woundcare.domain.enums import WorkflowEvent
from woundcare.domain.inputs import BioInput
from woundcare.domain.record import Patient
from woundcare.storage import Database, Identity
from woundcare.storage.case_repository import SqlCaseStore
from woundcare.workflow.orchestrator import Orchestrator


def app_steps(db: Database, keys: KeyMaterial, org: UUID, clinician: UUID,
              steps: int) -> tuple[list[float], float, UUID]:
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
    return latencies, steps / (time.perf_counter() - started), case_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    keys = KeyMaterial(keyring=KeyRing.from_config(encode_key(os.urandom(32)), "v1"),
                       search_hmac_key=os.urandom(32), pin_pepper=os.urandom(32),
                       audit_hmac_key=os.urandom(32))
    with bench_database() as database:
        org, clinician, _ = add_clinician(database.owner_url, "synthetic-pass")
        db = Database(database.app_url)
        app_lat, app_rate, case_id = app_steps(db, keys, org, clinician, args.steps)
        db.dispose()
        pg_lat, pg_rate = pgbench(database.app_url, args.seconds, org, clinician, case_id)
    report([("woundcare step (in process, RLS)", app_lat, app_rate),
            ("pgbench, same SQL (app role, RLS)", pg_lat, pg_rate)])


if __name__ == "__main__":
    main()
