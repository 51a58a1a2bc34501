"""Delivery that never loses a record: the outbox entry is written with the export; the
worker retries through 5xx answers and timeouts with backoff, dead-letters what cannot be
delivered, and survives being killed mid-delivery without duplicating anything."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from tests.api.conftest import Api, World, build_world
from tests.api.flows import run_whole_case
from tests.handoff.fake_fhir import Running, Script
from woundcare.api.app import create_app
from woundcare.handoff.outbox import store
from woundcare.handoff.outbox.policy import RetryPolicy
from woundcare.service.delivery import DeliveryWorker
from woundcare.storage.schema import outbox


def fast(tmp_path: Path, backend: Any, url: str, **extra: Any) -> World:
    values = {"fhir_server_url": url, "fhir_server_timeout_seconds": 1.0,
              "outbox_base_delay_seconds": 0.01, "outbox_max_delay_seconds": 0.05,
              "outbox_lease_seconds": 2.0, **extra}
    return build_world(tmp_path, backend, **values)


def worker_for(world: World) -> DeliveryWorker:
    """The worker runs on the operator database (the owner role on PostgreSQL)."""
    from woundcare.service.runtime import build_runtime

    runtime = build_runtime(world.runtime.settings, db=world.backend.owner,
                            keys=world.runtime.keys, blobs=world.runtime.blobs)
    runtime.metrics = world.runtime.metrics
    return DeliveryWorker(runtime)


def exported_case(world: World) -> dict[str, Any]:
    api = Api(create_app(world.runtime))
    api.login(world.alice)
    return run_whole_case(api)


def entries(world: World, case_id: str) -> dict[str, store.Entry]:
    with world.backend.owner.engine.connect() as conn:
        return {e.kind: e for e in store.list_entries(conn, case_id=UUID(case_id))}


def drain(worker: DeliveryWorker, seconds: float = 30) -> list[Any]:
    outcomes: list[Any] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        outcome = worker.run_once()
        if outcome is None:
            with worker.rt.db.engine.connect() as conn:
                open_ = conn.execute(sa.select(sa.func.count()).select_from(outbox).where(
                    outbox.c.status.in_(("pending", "in_progress")))).scalar_one()
            if not open_:
                worker.update_gauges()
                return outcomes
            time.sleep(0.05)
            continue
        outcomes.append(outcome)
    return outcomes


def test_backoff_is_exponential_with_full_jitter() -> None:
    import random

    policy = RetryPolicy(max_attempts=5, base_delay=2, max_delay=20)
    rng = random.Random(7)
    for attempts, cap in ((1, 2), (2, 4), (3, 8), (4, 16)):
        delays = [policy.delay(attempts, rng) for _ in range(200)]
        assert min(delays) >= 0
        assert max(delays) <= cap
        assert max(delays) > cap * 0.8  # spread over the whole window
    from datetime import UTC, datetime
    assert policy.next_attempt(datetime.now(UTC), 5) is None  # attempts used up: dead


def test_export_writes_the_outbox_in_its_transaction(tmp_path: Path, backend: Any) -> None:
    world = fast(tmp_path, backend, "http://127.0.0.1:9/fhir")
    case = exported_case(world)
    found = entries(world, case["case_id"])
    assert set(found) == {"report", "report_drop", "fhir"}
    assert all(e.status == "pending" for e in found.values())


def test_retries_through_5xx_and_timeouts_then_delivers_once(tmp_path: Path,
                                                             backend: Any) -> None:
    with Running(Script(fail_first=[500, 503, 502], slow_first=1, slow_seconds=2.5)) as fhir:
        world = fast(tmp_path, backend, fhir.url)
        case = exported_case(world)
        outcomes = drain(worker_for(world))
        fhir_outcomes = [o for o in outcomes if o.kind == "fhir"]
        assert [o.status for o in fhir_outcomes] == ["pending"] * 4 + ["delivered"]
        assert [o.error for o in fhir_outcomes][:4] == [
            "fhir_http_500", "fhir_http_503", "fhir_http_502", "fhir_timeout"]
        found = entries(world, case["case_id"])
        assert {k: e.status for k, e in found.items()} == {
            "report": "delivered", "report_drop": "delivered", "fhir": "delivered"}
        # the slow (timed-out) request still completed on the server: conditional creates
        # kept it from duplicating anything
        time.sleep(3)
        counts = fhir.fake.counts()
        assert counts["Patient"] == 1
        assert counts["Provenance"] == 1
        assert len(fhir.fake.bundles) == 1
    drop = Path(world.runtime.settings.data_dir) / "drop" / f"case-{case['case_id']}.pdf"
    assert drop.read_bytes().startswith(b"%PDF")


def test_a_refusing_server_ends_in_dead_letter_seen_by_admins(tmp_path: Path,
                                                              backend: Any) -> None:
    with Running(Script(fail_first=[500] * 50)) as fhir:
        world = fast(tmp_path, backend, fhir.url, outbox_max_attempts=3)
        case = exported_case(world)
        drain(worker_for(world))  # every attempt refused: dead letter
        dead = entries(world, case["case_id"])["fhir"]
        assert dead.status == "dead"
        from woundcare.commands.export import outbox_gauges

        gauges = outbox_gauges(worker_for(world).rt)
        assert 'woundcare_outbox_entries{kind="fhir",status="dead"} 1' in gauges
        assert "woundcare_outbox_dead_letters 1" in gauges
        assert dead.attempts == 3
        assert dead.last_error == "fhir_http_500"
        admin = Api(create_app(world.runtime))
        admin.login(world.admin)
        listed = admin.get("/api/admin/outbox", params={"status": "dead"}).json()["items"]
        assert [i["id"] for i in listed] == [str(dead.id)]
        clinician = Api(create_app(world.runtime))
        clinician.login(world.alice)
        assert clinician.get("/api/admin/outbox").status_code == 403
        requeued = admin.post(f"/api/admin/outbox/{dead.id}/retry")
        assert requeued.status_code == 200, requeued.text
        assert entries(world, case["case_id"])["fhir"].status == "pending"
        rendered = world.runtime.metrics.render()
        assert 'woundcare_outbox_deliveries_total{kind="fhir",outcome="dead"} 1.0' in rendered
        assert "woundcare_outbox_dead_letters 1.0" in rendered


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_killed_worker_mid_delivery_loses_nothing_and_duplicates_nothing(
        tmp_path: Path, backend: Any) -> None:
    import threading

    hang = threading.Event()
    with Running(Script(hang=hang)) as fhir:
        world = fast(tmp_path, backend, fhir.url, fhir_server_timeout_seconds=30.0)
        case = exported_case(world)
        settings = world.runtime.settings
        env = {**os.environ, "WOUNDCARE_DATABASE_URL": world.backend.url,
               "WOUNDCARE_DATA_DIR": str(settings.data_dir),
               "FIELD_ENCRYPTION_KEY": settings.field_encryption_key.get_secret_value(),
               "FIELD_ENCRYPTION_KEY_VERSION": settings.field_encryption_key_version,
               "WOUNDCARE_SEARCH_HMAC_KEY": settings.search_hmac_key.get_secret_value(),
               "WOUNDCARE_PIN_PEPPER": settings.pin_pepper.get_secret_value(),
               "WOUNDCARE_AUDIT_HMAC_KEY": settings.audit_hmac_key.get_secret_value(),
               "WOUNDCARE_FHIR_SERVER_URL": fhir.url,
               "WOUNDCARE_FHIR_SERVER_TIMEOUT_SECONDS": "30",
               "WOUNDCARE_OUTBOX_LEASE_SECONDS": "2"}
        worker = subprocess.Popen(
            [sys.executable, "-c", "from woundcare.cli import main; main()", "export",
             "worker"], env=env, cwd=tmp_path, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        try:
            assert fhir.fake.received.wait(60), "the worker never reached the FHIR server"
            os.kill(worker.pid, signal.SIGKILL)  # mid-delivery: the server holds the request
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
        assert entries(world, case["case_id"])["fhir"].status == "in_progress"
        hang.set()  # the server now finishes the dead worker's request
        time.sleep(2.5)  # the lease runs out
        drain(worker_for(world))
        found = entries(world, case["case_id"])
        assert found["fhir"].status == "delivered"
        assert found["fhir"].attempts == 2
        counts = fhir.fake.counts()
        sent = list(fhir.fake.stored.values())
        assert counts["Patient"] == 1
        assert counts["Encounter"] == 1
        assert counts["Provenance"] == 1
        assert len(fhir.fake.bundles) == 1
        assert fhir.fake.requests == 2
        assert len(sent) == sum(counts.values())


def worker_env(world: World, url: str, tmp_path: Path) -> dict[str, str]:
    settings = world.runtime.settings
    env = {**os.environ, "WOUNDCARE_DATABASE_URL": world.backend.url,
           "WOUNDCARE_MIGRATION_DATABASE_URL":
               world.backend.owner.engine.url.render_as_string(hide_password=False),
           "WOUNDCARE_DATA_DIR": str(settings.data_dir),
           "FIELD_ENCRYPTION_KEY": settings.field_encryption_key.get_secret_value(),  # type: ignore[union-attr]
           "FIELD_ENCRYPTION_KEY_VERSION": settings.field_encryption_key_version,
           "WOUNDCARE_SEARCH_HMAC_KEY": settings.search_hmac_key.get_secret_value(),  # type: ignore[union-attr]
           "WOUNDCARE_PIN_PEPPER": settings.pin_pepper.get_secret_value(),  # type: ignore[union-attr]
           "WOUNDCARE_AUDIT_HMAC_KEY": settings.audit_hmac_key.get_secret_value(),  # type: ignore[union-attr]
           "WOUNDCARE_FHIR_SERVER_URL": url, "WOUNDCARE_FHIR_SERVER_TIMEOUT_SECONDS": "30",
           "WOUNDCARE_OUTBOX_LEASE_SECONDS": "2", "WOUNDCARE_OUTBOX_POLL_SECONDS": "1"}
    return env


def start_worker(env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "from woundcare.cli import main; main()",
                             "export", "worker"], env=env, cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_procrastinate_worker_killed_mid_delivery_on_postgresql(tmp_path: Path,
                                                                 backend: Any) -> None:
    import threading

    hang = threading.Event()
    with Running(Script(hang=hang)) as fhir:
        world = fast(tmp_path, backend, fhir.url, fhir_server_timeout_seconds=30.0)
        case = exported_case(world)
        env = worker_env(world, fhir.url, tmp_path)
        first = start_worker(env, tmp_path)
        try:
            assert fhir.fake.received.wait(90), first.stderr.read() if first.stderr else ""
            os.kill(first.pid, signal.SIGKILL)
            first.wait(10)
        finally:
            if first.poll() is None:
                first.kill()
        assert entries(world, case["case_id"])["fhir"].status == "in_progress"
        hang.set()
        second = start_worker(env, tmp_path)
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                found = entries(world, case["case_id"])
                if all(e.status == "delivered" for e in found.values()):
                    break
                time.sleep(0.5)
        finally:
            second.send_signal(signal.SIGTERM)
            try:
                second.wait(20)
            except subprocess.TimeoutExpired:
                second.kill()
        found = entries(world, case["case_id"])
        assert {k: e.status for k, e in found.items()} == {
            "report": "delivered", "report_drop": "delivered", "fhir": "delivered"}
        counts = fhir.fake.counts()
        assert counts["Patient"] == 1
        assert counts["Provenance"] == 1
        assert len(fhir.fake.bundles) == 1
        assert fhir.fake.requests == 2
