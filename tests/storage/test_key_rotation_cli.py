"""`woundcare keys rotate`, killed in the middle and run again, twice: every record still
decrypts, and `woundcare keys status` shows the drift going to zero."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID, uuid4

from woundcare.agents.base import Actor
from woundcare.crypto.devkeys import KeyMaterial
from woundcare.crypto.keyring import KeyRing, encode_key
from woundcare.crypto.passwords import PasswordHasher
from woundcare.domain.enums import WorkflowEvent
from woundcare.domain.inputs import BioInput
from woundcare.domain.record import Patient
from woundcare.storage import Database, Identity, migrate
from woundcare.storage.case_repository import SqlCaseStore
from woundcare.storage.key_rotation import key_drift
from woundcare.workflow.orchestrator import Orchestrator

KEKS = {version: os.urandom(32) for version in ("v1", "v2", "v3")}
CASES = 40


def material(active: str, legacy: list[str]) -> KeyMaterial:
    spec = ",".join(f"{v}:{encode_key(KEKS[v])}" for v in legacy) or None
    return KeyMaterial(keyring=KeyRing.from_config(encode_key(KEKS[active]), active, spec),
                       search_hmac_key=b"s" * 32, pin_pepper=b"p" * 32,
                       audit_hmac_key=b"a" * 32)


def env_for(data_dir: Path, active: str, legacy: list[str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WOUNDCARE_", "FIELD_"))}
    env.update(
        WOUNDCARE_DATA_DIR=str(data_dir),
        FIELD_ENCRYPTION_KEY=encode_key(KEKS[active]),
        FIELD_ENCRYPTION_KEY_VERSION=active,
        FIELD_ENCRYPTION_LEGACY_KEYS=",".join(f"{v}:{encode_key(KEKS[v])}" for v in legacy),
        WOUNDCARE_SEARCH_HMAC_KEY=encode_key(b"s" * 32),
        WOUNDCARE_PIN_PEPPER=encode_key(b"p" * 32),
        WOUNDCARE_AUDIT_HMAC_KEY=encode_key(b"a" * 32),
    )
    return env


def populate(db: Database, keys: KeyMaterial) -> tuple[Identity, list[UUID]]:
    org, clinician = uuid4(), uuid4()
    with db.unit_of_work(None) as uow:
        uow.organisations.create("Test Clinic Rotation", organisation_id=org)
        uow.clinicians.create(email="rotation@example.test", display_name="Rotation Tester",
                              password_hash=PasswordHasher(fast=True).hash("synthetic-pass"),
                              organisation_id=org, clinician_id=clinician)
    identity = Identity(org, clinician)
    actor = Actor.clinician(clinician)
    ids = []
    for index in range(CASES):
        with db.unit_of_work(identity) as uow:
            orch = Orchestrator(SqlCaseStore(uow.conn, identity, keys))
            case = orch.create_case(organisation_id=org, owner_id=clinician, actor=actor).record
            orch.fire(case.case_id, WorkflowEvent.BEGIN, actor, expected_version=1)
            orch.submit(case.case_id, BioInput(patient=Patient(
                first_name=f"Rotate{index:03d}", mrn=f"ZZROT-{index:03d}")), actor,
                expected_version=2)
            ids.append(case.case_id)
    return identity, ids


def rotate_and_kill(env: dict[str, str]) -> None:
    """Start a slow rotation (a pause between batches) and SIGKILL it part-way."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "woundcare.cli", "keys", "rotate", "--batch-size", "4",
         "--pause", "0.3"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "woundcare.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def all_decrypt(db: Database, identity: Identity, keys: KeyMaterial, ids: list[UUID]) -> None:
    with db.unit_of_work(identity, read_only=True) as uow:
        store = SqlCaseStore(uow.conn, identity, keys)
        names = [store.load(case_id).patient.first_name for case_id in ids]
    assert names == [f"Rotate{i:03d}" for i in range(CASES)]


def test_rotate_twice_with_a_kill_in_the_middle(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'woundcare.db'}"
    migrate.upgrade(url)
    db = Database(url)
    identity, ids = populate(db, material("v1", []))
    for active, legacy in (("v2", ["v1"]), ("v3", ["v2", "v1"])):
        env = env_for(tmp_path, active, legacy)
        rotate_and_kill(env)
        drift = key_drift(db.engine)
        assert drift.get(active, 0) > 0, drift  # some cases were re-wrapped…
        assert sum(drift.values()) == CASES
        assert drift.get(active) != CASES, drift  # …and the kill came before the end
        all_decrypt(db, identity, material(active, legacy), ids)  # mid-rotation: readable
        status = run_cli(env, "keys", "status")
        assert status.returncode == 0
        assert f"{active}" in status.stdout
        finished = run_cli(env, "keys", "rotate", "--batch-size", "7")
        assert finished.returncode == 0, finished.stdout + finished.stderr
        assert "0 still on older versions" in finished.stdout
        assert key_drift(db.engine) == {active: CASES}
        all_decrypt(db, identity, material(active, legacy), ids)
    db.dispose()


def test_rotation_reports_a_case_whose_version_is_not_in_the_key_ring(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'woundcare.db'}"
    migrate.upgrade(url)
    db = Database(url)
    populate(db, material("v1", []))
    env = env_for(tmp_path, "v3", [])  # v1 forgotten: nothing can be re-wrapped
    result = run_cli(env, "keys", "rotate")
    assert result.returncode == 2
    assert result.stdout.count("UnknownKeyVersion") == CASES
    assert key_drift(db.engine) == {"v1": CASES}  # reported, never broken
    db.dispose()
