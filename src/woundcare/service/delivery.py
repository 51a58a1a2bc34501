"""The delivery worker's tasks: render the PDF report, drop it in a folder, send the FHIR
transaction bundle to the FHIR server, post a notice to the team board.

Each run claims one due outbox entry (its own short transaction, with a lease), runs the task
outside any transaction, then records the outcome (its own transaction): delivered, back to
pending after an exponential backoff with full jitter, or dead. A worker killed mid-task
leaves the entry ``in_progress`` with a lease that runs out; the next worker claims it again.
A repeated FHIR delivery is harmless: every entry of the bundle is a conditional create.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import sqlalchemy as sa

from woundcare.crypto.envelope import decrypt_blob, encrypt_blob
from woundcare.handoff.outbox import store
from woundcare.handoff.outbox.policy import PermanentFailure, RetryPolicy, TransientFailure
from woundcare.logging import get_logger
from woundcare.service.audit import Caller
from woundcare.service.cases import CaseService, Workspace
from woundcare.service.export import ExportService, compute_push
from woundcare.service.runtime import Runtime
from woundcare.storage.identity import Identity
from woundcare.storage.schema import cases

log = get_logger("woundcare.delivery")

REPORT_BLOB_ID = "report.pdf"  # the blob's associated-data label (with the case id)

Poster = Callable[[str, bytes, dict[str, str], float], httpx.Response]


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> httpx.Response:
    return httpx.post(url, content=body, headers=headers, timeout=timeout)


@dataclass
class Outcome:
    entry_id: UUID
    kind: str
    status: str  # delivered | pending | dead
    error: str | None = None


class DeliveryWorker:
    def __init__(self, runtime: Runtime, *, post: Poster = _post,
                 lease: timedelta | None = None) -> None:
        self.rt = runtime
        self.cases = CaseService(runtime)
        self.export = ExportService(self.cases)
        self.post = post
        self.lease = lease or timedelta(seconds=runtime.settings.outbox_lease_seconds)
        s = runtime.settings
        self.policy = RetryPolicy(s.outbox_max_attempts, s.outbox_base_delay_seconds,
                                  s.outbox_max_delay_seconds)

    # ------------------------------------------------------------------ the loop body

    def run_once(self, kinds: tuple[str, ...] = store.KINDS) -> Outcome | None:
        """Claim and run one due entry; None when nothing is due."""
        with self.rt.db.unit_of_work(None) as uow:
            entry = store.claim(uow.conn, now=self.rt.clock(), lease=self.lease, kinds=kinds)
        if entry is None:
            return None
        task = getattr(self, f"task_{entry.kind}")
        try:
            blob_key = task(entry)
        except (TransientFailure, PermanentFailure) as exc:
            return self._failed(entry, exc.code, permanent=isinstance(exc, PermanentFailure))
        except Exception as exc:
            return self._failed(entry, f"error:{type(exc).__name__}", permanent=False)
        with self.rt.db.unit_of_work(None) as uow:
            store.finish(uow.conn, entry.id, now=self.rt.clock(), result_blob_key=blob_key)
        self.rt.metrics.outbox(entry.kind, "delivered")
        log.info("outbox.delivered", kind=entry.kind, entry_id=str(entry.id),
                 attempts=entry.attempts)
        return Outcome(entry.id, entry.kind, "delivered")

    def _failed(self, entry: store.Entry, code: str, *, permanent: bool) -> Outcome:
        now = self.rt.clock()
        at = None if permanent else self.policy.next_attempt(now, entry.attempts)
        with self.rt.db.unit_of_work(None) as uow:
            status = store.reschedule(uow.conn, entry.id, now=now, at=at, error=code)
        self.rt.metrics.outbox(entry.kind, "dead" if status == "dead" else "retry")
        log.warning("outbox.failed", kind=entry.kind, entry_id=str(entry.id), code=code,
                    attempts=entry.attempts, status=status)
        return Outcome(entry.id, entry.kind, status, code)

    def run_until_idle(self, limit: int = 1000,
                       kinds: tuple[str, ...] = store.KINDS) -> list[Outcome]:
        outcomes = []
        for _ in range(limit):
            outcome = self.run_once(kinds)
            if outcome is None:
                break
            outcomes.append(outcome)
        self.update_gauges()
        return outcomes

    def update_gauges(self) -> None:
        """The backlog and dead-letter gauges the alerts watch (this process's registry)."""
        with self.rt.db.engine.connect() as conn:
            self.rt.metrics.outbox_counts(store.counts(conn))

    # ------------------------------------------------------------------ plumbing

    def caller_for(self, case_id: UUID) -> Caller:
        """The worker reads a case as its owner (the audit trail's request id says
        ``worker-...``)."""
        with self.rt.db.engine.connect() as conn:
            row = conn.execute(sa.select(cases.c.organisation_id, cases.c.owner_id)
                               .where(cases.c.id == case_id)).one()
        return Caller(Identity(row.organisation_id, row.owner_id), uuid.uuid4(), "worker",
                      f"worker-{uuid.uuid4().hex[:12]}")

    def _bundle(self, case_id: UUID) -> dict[str, Any]:
        with self.cases.workspace(self.caller_for(case_id), read_only=True) as ws:
            record = ws.store.load(case_id)
            return self.export.signed_bundle(ws, record)

    # ------------------------------------------------------------------ tasks

    def task_report(self, entry: store.Entry) -> str:
        from woundcare.handoff.report import render_report

        with self.cases.workspace(self.caller_for(entry.case_id), read_only=True) as ws:
            record = ws.store.load(entry.case_id)
            if record.export is None:
                raise PermanentFailure("not_exported")
            ctx = self.export.context(ws, record)
            history = history_of(ws, record)
            enabled = getattr(self.rt.settings, "push_enabled", True)
            totals = [getattr(compute_push(v, enabled), "total", None) for v in history]
            pdf = render_report(record, ctx, history=history, history_push=totals)
            dek, _ = ws.store.data_key(entry.case_id)
        ref = self.rt.blobs.put(encrypt_blob(dek, entry.case_id, REPORT_BLOB_ID, pdf))
        return ref.key

    def task_report_drop(self, entry: store.Entry) -> None:
        pdf = read_report(self.rt, self.cases, self.caller_for(entry.case_id), entry.case_id)
        if pdf is None:
            raise TransientFailure("report_not_ready")
        folder = Path(self.rt.settings.report_drop_dir or self.rt.settings.data_dir / "drop")
        atomic_write(folder / f"case-{entry.case_id}.pdf", pdf)

    def task_fhir(self, entry: store.Entry) -> None:
        url = self.rt.settings.fhir_server_url
        if not url:
            raise PermanentFailure("fhir_not_configured")
        bundle = self._bundle(entry.case_id)
        body = json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"}
        token = self.rt.settings.fhir_server_token
        if token is not None and token.get_secret_value():
            headers["Authorization"] = f"Bearer {token.get_secret_value()}"
        try:
            response = self.post(url, body, headers, self.rt.settings.fhir_server_timeout_seconds)
        except httpx.TimeoutException:
            raise TransientFailure("fhir_timeout") from None
        except httpx.TransportError:
            raise TransientFailure("fhir_unreachable") from None
        status = response.status_code
        if 200 <= status < 300:
            return
        if status in (408, 425, 429) or status >= 500:
            raise TransientFailure(f"fhir_http_{status}")
        raise PermanentFailure(f"fhir_http_{status}")

    def task_team_board(self, entry: store.Entry) -> None:
        with self.cases.workspace(self.caller_for(entry.case_id), read_only=True) as ws:
            record = ws.store.load(entry.case_id)
        if record.consent.team_board_sharing.value != "granted":
            raise PermanentFailure("team_board_consent")
        p = record.patient
        label = " ".join(x for x in (p.preferred_name or p.first_name,
                                     (p.last_name or "")[:1] + "." if p.last_name else None) if x)
        notice = {"case_id": str(record.case_id), "visit_number": record.visit_number,
                  "patient_label": label, "wound_site": record.wound.site,
                  "exported_at": record.export.exported_at.isoformat() if record.export
                  else None}
        folder = Path(self.rt.settings.team_board_dir or self.rt.settings.data_dir / "team-board")
        atomic_write(folder / f"case-{record.case_id}.json",
                     json.dumps(notice, indent=1).encode("utf-8"))


def history_of(ws: Workspace, record: Any) -> list[Any]:
    """Earlier visits of the same wound (previous_case_id chain), oldest first."""
    chain: list[Any] = []
    previous = record.previous_case_id
    seen = {record.case_id}
    while previous is not None and previous not in seen and len(chain) < 50:
        seen.add(previous)
        try:
            earlier = ws.store.load(previous)
        except Exception:
            break
        chain.append(earlier)
        previous = earlier.previous_case_id
    return list(reversed(chain))


def read_report(rt: Runtime, cases_service: CaseService, caller: Caller,
                case_id: UUID) -> bytes | None:
    with cases_service.workspace(caller, read_only=True) as ws:
        ws.store.load(case_id)
        entries = store.list_entries(ws.uow.conn, case_id=case_id)
        report = next((e for e in entries if e.kind == "report"), None)
        if report is None or report.status != "delivered" or not report.result_blob_key:
            return None
        dek, _ = ws.store.data_key(case_id)
    return decrypt_blob(dek, case_id, REPORT_BLOB_ID, rt.blobs.get(report.result_blob_key))


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, fsync, rename: a reader sees the whole
    file or none; a repeat writes the same name (no duplicates)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
