"""The case repository (the orchestrator's autosave port) on SQLite and PostgreSQL: envelope
encryption at rest, optimistic concurrency, provenance that is never lost, a fixed number of
statements per step, tenancy, MRN search, key rotation and tamper evidence."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.factories import FakePinVerifier, FakeSealer
from tests.storage.helpers import Target, World
from woundcare.agents.base import Actor, AgentServices
from woundcare.crypto.devkeys import KeyMaterial
from woundcare.crypto.envelope import DecryptionError
from woundcare.crypto.keyring import KeyRing, encode_key
from woundcare.domain.enums import WorkflowEvent, WorkflowState
from woundcare.domain.errors import CaseNotFound, VersionConflict
from woundcare.domain.inputs import BioInput
from woundcare.domain.provenance import verify_chain
from woundcare.domain.record import Patient
from woundcare.storage.case_repository import SqlCaseStore
from woundcare.storage.integrity import verify_case_provenance
from woundcare.storage.key_rotation import key_drift, rotate_keys
from woundcare.storage.schema import cases, provenance
from woundcare.workflow.orchestrator import Orchestrator

SYNTHETIC_NAME = "Quxxo"
SYNTHETIC_MRN = "ZZTEST-4242"


def keys(version: str = "v1", legacy: dict[str, bytes] | None = None) -> KeyMaterial:
    active = KEYS[version]
    spec = ",".join(f"{v}:{encode_key(k)}" for v, k in (legacy or {}).items()) or None
    return KeyMaterial(
        keyring=KeyRing.from_config(encode_key(active), version, spec),
        search_hmac_key=b"s" * 32, pin_pepper=b"p" * 32, audit_hmac_key=b"a" * 32,
    )


KEYS = {"v1": os.urandom(32), "v2": os.urandom(32), "v3": os.urandom(32)}


@dataclass
class Step:
    target: Target
    world: World
    material: KeyMaterial

    @contextmanager
    def orchestrator(self, who: Any = None) -> Iterator[Orchestrator]:
        identity = who or self.world.a
        with self.target.app.unit_of_work(identity) as uow:
            store = SqlCaseStore(uow.conn, identity, self.material)
            yield Orchestrator(store, AgentServices(sealer=FakeSealer(),
                                                    pin_verifier=FakePinVerifier()))

    def new_case(self) -> UUID:
        with self.orchestrator() as orch:
            created = orch.create_case(organisation_id=self.world.org1,
                                       owner_id=self.world.a.clinician_id, actor=self.actor)
            orch.fire(created.record.case_id, WorkflowEvent.BEGIN, self.actor,
                      expected_version=created.record.version)
            return created.record.case_id

    @property
    def actor(self) -> Actor:
        return Actor.clinician(self.world.a.clinician_id)

    def bio(self, case_id: UUID, version: int, **patient: Any) -> Any:
        with self.orchestrator() as orch:
            return orch.submit(case_id, BioInput(patient=Patient(**patient)), self.actor,
                               expected_version=version)

    def load(self, case_id: UUID, who: Any = None) -> Any:
        with self.orchestrator(who) as orch:
            return orch.load(case_id)


@pytest.fixture
def step(db: Target, world: World) -> Step:
    return Step(db, world, keys())


def raw_case(target: Target, case_id: UUID) -> Any:
    with target.owner.engine.connect() as conn:
        return conn.execute(sa.select(cases).where(cases.c.id == case_id)).mappings().one()


def test_round_trip_keeps_every_value_and_encrypts_phi_at_rest(step: Step) -> None:
    case_id = step.new_case()
    saved = step.bio(case_id, 2, first_name=SYNTHETIC_NAME, mrn=SYNTHETIC_MRN,
                     date_of_birth=date(1950, 1, 2), notes="distinctive-note-31")
    loaded = step.load(case_id)
    assert loaded == saved.record
    row = raw_case(step.target, case_id)
    dumped = json.dumps({k: row[k] for k in ("payload", "encrypted_fields")}, default=str)
    for secret in (SYNTHETIC_NAME, SYNTHETIC_MRN, "1950-01-02", "distinctive-note-31"):
        assert secret not in dumped
    assert set(row["encrypted_fields"]) == {"patient.first_name", "patient.mrn",
                                            "patient.date_of_birth", "patient.notes"}
    assert row["payload"]["patient"]["first_name"] is None
    assert row["key_version"] == "v1"
    assert row["version"] == saved.record.version


def test_a_ciphertext_moved_to_another_case_or_field_does_not_decrypt(step: Step) -> None:
    first, second = step.new_case(), step.new_case()
    step.bio(first, 2, first_name=SYNTHETIC_NAME, last_name="Example")
    step.bio(second, 2, first_name="Other")
    token = raw_case(step.target, first)["encrypted_fields"]["patient.first_name"]
    moved = dict(raw_case(step.target, second)["encrypted_fields"],
                 **{"patient.first_name": token})
    swapped = dict(raw_case(step.target, first)["encrypted_fields"])
    swapped["patient.first_name"], swapped["patient.last_name"] = (
        swapped["patient.last_name"], swapped["patient.first_name"])
    with step.target.owner.engine.begin() as conn:
        conn.execute(cases.update().where(cases.c.id == second).values(encrypted_fields=moved))
        conn.execute(cases.update().where(cases.c.id == first).values(encrypted_fields=swapped))
    for case_id in (first, second):
        with pytest.raises(DecryptionError):
            step.load(case_id)


def test_each_step_is_a_fixed_small_number_of_statements(step: Step) -> None:
    case_id = step.new_case()
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement.split()[0].upper())

    event.listen(step.target.app.engine, "before_cursor_execute", count)
    try:
        with step.orchestrator() as orch:
            orch.submit(case_id, BioInput(patient=Patient(first_name=SYNTHETIC_NAME, age=70)),
                        step.actor, expected_version=2)
        named = list(statements)
        statements.clear()
        with step.orchestrator() as orch:
            orch.submit(case_id, BioInput(patient=Patient(age=71)), step.actor,
                        expected_version=3)
    finally:
        event.remove(step.target.app.engine, "before_cursor_execute", count)
    # PostgreSQL: identity + load + the guarded update and its provenance rows in one
    # statement (the update a CTE of the insert); SQLite: the update, then one multi-row insert
    expected = ["SELECT", "SELECT", "WITH"]
    if step.target.kind == "sqlite":
        expected = ["BEGIN", "SELECT", "UPDATE", "INSERT"]
    assert statements == expected
    # A step that changes a searchable fact (a name, the date of birth, the MRN) also
    # replaces the case's search index: one DELETE and one multi-row INSERT.
    assert named == [*expected, "DELETE", "INSERT"]


def test_a_stale_write_conflicts_and_writes_nothing(step: Step) -> None:
    case_id = step.new_case()
    step.bio(case_id, 2, first_name=SYNTHETIC_NAME)
    before = raw_case(step.target, case_id)
    with pytest.raises(VersionConflict):
        step.bio(case_id, 2, first_name="Stale")
    after = raw_case(step.target, case_id)
    assert after["version"] == before["version"]
    assert after["provenance_count"] == before["provenance_count"]
    assert step.load(case_id).patient.first_name == SYNTHETIC_NAME


def test_two_writers_exactly_one_wins_and_no_provenance_is_lost(step: Step) -> None:
    case_id = step.new_case()
    results: list[str] = []
    both_loaded = threading.Barrier(2 if step.target.kind == "postgresql" else 1)

    def writer(name: str) -> None:
        try:
            with step.orchestrator() as orch:
                orch.load(case_id)
                both_loaded.wait(timeout=10)
                # Both writers read version 2 and try to write version 3.
                orch.submit(case_id, BioInput(patient=Patient(first_name=name)), step.actor,
                            expected_version=2)
            results.append("ok")
        except VersionConflict:
            results.append("conflict")

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("Writer-one", "Writer-two")]
    if step.target.kind == "postgresql":
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:  # SQLite serialises writers: the second one writes after the first committed
        for thread in threads:
            thread.start()
            thread.join()
    assert sorted(results) == ["conflict", "ok"]
    row = raw_case(step.target, case_id)
    with step.orchestrator() as orch:
        entries = orch.store.provenance(case_id)
    assert row["version"] == 3
    assert len(entries) == row["provenance_count"]
    report = verify_chain(case_id, entries, expected_head=row["provenance_head"],
                          expected_count=row["provenance_count"])
    assert report.ok, report.problems


def test_foreign_cases_are_invisible_until_delegated(step: Step) -> None:
    case_id = step.new_case()
    for outsider in (step.world.b, step.world.c, step.world.admin):
        with pytest.raises(CaseNotFound):
            step.load(case_id, outsider)
    with step.target.app.unit_of_work(step.world.a) as uow:
        uow.delegations.grant(case_id, step.world.b.clinician_id)
    assert step.load(case_id, step.world.b).case_id == case_id
    with pytest.raises(CaseNotFound):
        step.load(case_id, step.world.c)


def test_a_case_cannot_be_created_in_another_organisation(step: Step) -> None:
    with step.orchestrator(step.world.c) as orch, pytest.raises(CaseNotFound):
        orch.create_case(organisation_id=step.world.org1,
                         owner_id=step.world.c.clinician_id,
                         actor=Actor.clinician(step.world.c.clinician_id))


def test_mrn_search_uses_a_keyed_hash_and_stays_in_scope(step: Step) -> None:
    case_id = step.new_case()
    step.bio(case_id, 2, mrn=SYNTHETIC_MRN)
    row = raw_case(step.target, case_id)
    assert row["mrn_hash"]
    assert SYNTHETIC_MRN not in row["mrn_hash"]
    with step.target.app.unit_of_work(step.world.a) as uow:
        store = SqlCaseStore(uow.conn, step.world.a, step.material)
        assert store.find_by_mrn("zztest 4242") == [case_id]
    with step.target.app.unit_of_work(step.world.c) as uow:
        assert SqlCaseStore(uow.conn, step.world.c, step.material).find_by_mrn(
            SYNTHETIC_MRN) == []


def test_list_filters_by_state_and_pages_by_recency(step: Step) -> None:
    ids = [step.new_case() for _ in range(3)]
    with step.target.app.unit_of_work(step.world.a) as uow:
        store = SqlCaseStore(uow.conn, step.world.a, step.material)
        rows, total = store.list_cases(state=WorkflowState.BIO_INTAKE, limit=2)
        assert total >= 3
        assert len(rows) == 2
        assert rows[0]["updated_at"] >= rows[1]["updated_at"]
        rows, _ = store.list_cases(state=WorkflowState.DONE)
        assert rows == []
    with step.target.app.unit_of_work(step.world.c) as uow:
        rows, total = SqlCaseStore(uow.conn, step.world.c, step.material).list_cases()
        assert total == 0
        assert not set(ids) & {r["id"] for r in rows}


def test_rotation_rewraps_every_case_and_reports_what_it_cannot(step: Step) -> None:
    ids = [step.new_case() for _ in range(4)]
    step.bio(ids[0], 2, first_name=SYNTHETIC_NAME)
    # A case wrapped under a version nobody kept in the legacy map:
    lost = Step(step.target, step.world, keys("v3")).new_case()
    rotated = keys("v2", legacy={"v1": KEYS["v1"]})
    assert key_drift(step.target.owner.engine) == {"v1": 4 + _seed_cases(step), "v3": 1}
    report = rotate_keys(step.target.owner.engine, rotated.keyring, batch_size=2)
    # The storage world's plain seed case has a fake wrapped key: reported, not broken.
    assert set(report.failed) == {(lost, "UnknownKeyVersion")} | {
        (seed, "DecryptionError") for seed in _seed_case_ids(step)}
    assert report.remaining == 1 + _seed_cases(step)
    assert key_drift(step.target.owner.engine).get("v2") == 4
    # Every rotated record still decrypts, with the new key ring only knowing v1 as legacy.
    after = Step(step.target, step.world, rotated)
    assert after.load(ids[0]).patient.first_name == SYNTHETIC_NAME
    for case_id in ids[1:]:
        assert after.load(case_id).state is WorkflowState.BIO_INTAKE
    # Running it again is harmless.
    again = rotate_keys(step.target.owner.engine, rotated.keyring)
    assert again.rotated == 0


def _seed_case_ids(step: Step) -> set[UUID]:
    with step.target.owner.engine.connect() as conn:
        return set(conn.execute(sa.select(cases.c.id).where(
            cases.c.wrapped_dek == "wrapped-test-dek")).scalars())


def _seed_cases(step: Step) -> int:
    """The storage world seeds one plain (non-repository) case on v1."""
    with step.target.owner.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).where(
            cases.c.wrapped_dek == "wrapped-test-dek")).scalar_one())


@pytest.mark.parametrize("tamper", ["edit", "delete_middle", "delete_last", "insert"])
def test_tampering_with_provenance_as_the_owner_is_detected(step: Step, tamper: str) -> None:
    case_id = step.new_case()
    step.bio(case_id, 2, first_name=SYNTHETIC_NAME)
    engine = step.target.owner.engine
    assert verify_case_provenance(engine, case_id).ok
    with engine.begin() as conn:
        rows = conn.execute(sa.select(provenance).where(provenance.c.case_id == case_id)
                            .order_by(provenance.c.seq)).mappings().all()
        middle, last = rows[len(rows) // 2], rows[-1]
        if tamper == "edit":
            conn.execute(provenance.update().where(provenance.c.id == middle["id"])
                         .values(actor_id="someone-else"))
        elif tamper == "delete_middle":
            conn.execute(provenance.delete().where(provenance.c.id == middle["id"]))
        elif tamper == "delete_last":
            conn.execute(provenance.delete().where(provenance.c.id == last["id"]))
        else:
            forged = dict(last, id=uuid4(), seq=last["seq"] + 1, prev_hash=last["hash"],
                          hash="f" * 64, at=datetime.now(UTC))
            conn.execute(provenance.insert().values(**forged))
    report = verify_case_provenance(engine, case_id)
    assert not report.ok
    assert report.problems


@pytest.mark.postgres
def test_the_application_role_cannot_rewrite_provenance(pg: Target, pg_world: World) -> None:
    step = Step(pg, pg_world, keys())
    case_id = step.new_case()
    for statement in ("UPDATE provenance SET actor_id = 'x' WHERE case_id = :c",
                      "DELETE FROM provenance WHERE case_id = :c"):
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"), \
                pg.app.unit_of_work(pg_world.a) as uow:
            uow.conn.execute(sa.text(statement), {"c": case_id})
    assert verify_case_provenance(pg.owner.engine, case_id).ok
