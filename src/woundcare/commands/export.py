"""``woundcare export``: the hand-off of a signed, exported visit from the command line.

``fhir`` and ``report`` act for the case's owner (or ``--as`` a clinician of the same
organisation) on the operator database, so the read is authorised and audited exactly like a
request; ``verify`` checks a bundle file's signature against this installation's keys.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from uuid import UUID

import sqlalchemy as sa
import typer

from woundcare.commands._common import operator_url, refusals
from woundcare.config import get_settings
from woundcare.service.audit import Caller
from woundcare.service.runtime import Runtime, build_runtime
from woundcare.storage.database import Database
from woundcare.storage.identity import Identity, Role
from woundcare.storage.schema import cases, clinicians

app = typer.Typer(help="Export: FHIR bundle, PDF report, signature check, deliveries.",
                  no_args_is_help=True)


def operator_runtime() -> Runtime:
    settings = get_settings()
    return build_runtime(settings, db=Database(operator_url(settings)))


def acting_caller(runtime: Runtime, case_id: UUID, email: str | None) -> Caller:
    """The case owner (or the named clinician of the case's organisation) as the caller."""
    with runtime.db.engine.connect() as conn:
        row = conn.execute(sa.select(cases.c.organisation_id, cases.c.owner_id)
                           .where(cases.c.id == case_id)).first()
        if row is None:
            typer.echo("no such case", err=True)
            raise typer.Exit(2)
        clinician_id: UUID = row.owner_id
        role: Role = "clinician"
        if email:
            found = conn.execute(sa.select(clinicians.c.id, clinicians.c.role).where(
                clinicians.c.email == email.strip().lower(),
                clinicians.c.organisation_id == row.organisation_id)).first()
            if found is None:
                typer.echo(f"no clinician {email} in the case's organisation", err=True)
                raise typer.Exit(2)
            clinician_id, role = found.id, ("org_admin" if found.role == "org_admin"
                                            else "clinician")
    identity = Identity(row.organisation_id, clinician_id, role)
    return Caller(identity=identity, session_id=uuid.uuid4(), client_hash="cli",
                  request_id=f"cli-{uuid.uuid4().hex[:12]}")


@app.command("fhir")
def fhir(case_id: UUID,
         out: Path = typer.Option(..., "--out", help="Where to write the bundle (JSON)."),
         as_email: str | None = typer.Option(None, "--as", help="Act as this clinician.")
         ) -> None:
    """Write the signed FHIR R4 transaction Bundle of an exported case."""
    from woundcare.service.cases import CaseService
    from woundcare.service.export import ExportService

    runtime = operator_runtime()
    with refusals():
        bundle = ExportService(CaseService(runtime)).fhir(
            acting_caller(runtime, case_id, as_email), case_id)
    out.write_text(json.dumps(bundle, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    typer.echo(f"wrote {out} ({len(bundle['entry'])} resources, signed)")


@app.command("verify")
def verify(file: Path) -> None:
    """Exit 0 if the bundle's signature is valid under this installation's keys; 1 if not."""
    from woundcare.handoff.fhir.signing import SignatureInvalid
    from woundcare.service.cases import CaseService
    from woundcare.service.export import ExportService

    try:
        bundle = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        typer.echo("not a readable JSON file", err=True)
        raise typer.Exit(2) from None
    runtime = build_runtime(get_settings())
    try:
        verified = ExportService(CaseService(runtime)).verify(bundle)
    except SignatureInvalid as exc:
        typer.echo(f"INVALID: {exc}")
        raise typer.Exit(1) from None
    typer.echo(f"valid: signed by key {verified.kid}")


@app.command("report")
def report(case_id: UUID,
           out: Path = typer.Option(..., "--out", help="Where to write the PDF."),
           as_email: str | None = typer.Option(None, "--as", help="Act as this clinician.")
           ) -> None:
    """Write the PDF report of an exported case. Rendering is the delivery worker's job: the
    report is queued if needed and this command runs the worker for report jobs until it
    is there."""
    from woundcare.service.cases import CaseService
    from woundcare.service.delivery import DeliveryWorker
    from woundcare.service.outbox import OutboxService

    runtime = operator_runtime()
    caller = acting_caller(runtime, case_id, as_email)
    service = OutboxService(CaseService(runtime))
    worker = DeliveryWorker(runtime)
    with refusals():
        for _ in range(20):
            pdf, pending = service.report(caller, case_id)
            if pdf is not None:
                out.write_bytes(pdf)
                typer.echo(f"wrote {out} ({len(pdf)} bytes)")
                return
            assert pending is not None
            worker.run_until_idle(kinds=("report",))
    typer.echo("refused: the report is not ready; see `woundcare export outbox`", err=True)
    raise typer.Exit(1)


@app.command("worker")
def worker(once: bool = typer.Option(False, "--once", help="Deliver what is due, then stop."),
           metrics_file: Path | None = typer.Option(
               None, "--metrics-file", help="Write the outbox gauges here after every round "
               "(for a Prometheus textfile collector)."),
           ) -> None:
    """Run the delivery worker (operator database): claims due outbox entries, delivers them
    with retries, dead-letters the hopeless, shreds cases whose grace period is over. On
    PostgreSQL it runs under procrastinate; on the embedded SQLite default it polls."""
    import time

    from woundcare.service.delivery import DeliveryWorker
    from woundcare.service.shredding import run_due

    runtime = operator_runtime()

    def write_metrics() -> None:
        if metrics_file is not None:
            from woundcare.service.delivery import atomic_write

            atomic_write(metrics_file, outbox_gauges(runtime).encode("utf-8"))

    if not runtime.settings.uses_sqlite and not once:
        from woundcare.service.jobs import run_worker

        run_worker(runtime, write_metrics)
        return
    delivery = DeliveryWorker(runtime)
    poll = runtime.settings.outbox_poll_seconds
    while True:
        for shredded in run_due(runtime):
            typer.echo(f"shredded case {shredded.case_id}; deliveries to follow up: "
                       f"{len(shredded.deliveries)}")
        for outcome in delivery.run_until_idle():
            typer.echo(f"{outcome.kind} {outcome.entry_id}: {outcome.status}"
                       + (f" ({outcome.error})" if outcome.error else ""))
        write_metrics()
        if once:
            return
        time.sleep(poll)


@app.command("outbox")
def outbox(status: str | None = typer.Option(None, help="pending, in_progress, delivered "
                                             "or dead"),
           prometheus: bool = typer.Option(False, "--prometheus",
                                           help="Gauges for a textfile collector.")) -> None:
    """List deliveries (all organisations; operators), or print the outbox gauges."""
    from woundcare.handoff.outbox import store

    runtime = operator_runtime()
    if prometheus:
        typer.echo(outbox_gauges(runtime), nl=False)
        return
    with runtime.db.engine.connect() as conn:
        entries = store.list_entries(conn, status=status, limit=500)
    for e in entries:
        typer.echo(f"{e.id} case {e.case_id} {e.kind:<11} {e.status:<11} attempts "
                   f"{e.attempts}/{e.max_attempts} {e.last_error or ''}")


def outbox_gauges(runtime: Runtime) -> str:
    from woundcare.handoff.outbox import store

    with runtime.db.engine.connect() as conn:
        counts = store.counts(conn)
    backlog = sum(n for (_k, s), n in counts.items() if s in ("pending", "in_progress"))
    dead = sum(n for (_k, s), n in counts.items() if s == "dead")
    lines = ["# HELP woundcare_outbox_backlog Outbox messages waiting to be delivered.",
             "# TYPE woundcare_outbox_backlog gauge", f"woundcare_outbox_backlog {backlog}",
             "# HELP woundcare_outbox_dead_letters Outbox messages given up on (dead letters).",
             "# TYPE woundcare_outbox_dead_letters gauge",
             f"woundcare_outbox_dead_letters {dead}",
             "# HELP woundcare_outbox_entries Outbox entries by destination and status.",
             "# TYPE woundcare_outbox_entries gauge"]
    for kind in store.KINDS:
        for state in ("pending", "in_progress", "delivered", "dead"):
            lines.append(f'woundcare_outbox_entries{{kind="{kind}",status="{state}"}} '
                         f"{counts.get((kind, state), 0)}")
    return "\n".join(lines) + "\n"


@app.command("retry")
def retry(entry_id: UUID) -> None:
    """Put a dead-lettered delivery back in the queue with fresh attempts."""
    from woundcare.handoff.outbox import store

    runtime = operator_runtime()
    with runtime.db.unit_of_work(None) as uow:
        ok = store.requeue(uow.conn, entry_id, now=runtime.clock())
    if not ok:
        typer.echo("refused: no dead-lettered delivery with this id", err=True)
        raise typer.Exit(1)
    typer.echo(f"{entry_id}: pending")


@app.command("shred-due")
def shred_due() -> None:
    """Destroy the data key of every case whose post-withdrawal grace period is over, and
    list the deliveries already made for staff to follow up."""
    from woundcare.service.shredding import run_due

    runtime = operator_runtime()
    done = run_due(runtime)
    for result in done:
        typer.echo(f"shredded case {result.case_id}")
        for delivery in result.deliveries:
            typer.echo(f"  follow up: {delivery['kind']} delivered {delivery['delivered_at']} "
                       f"(outbox entry {delivery['entry_id']})")
    if not done:
        typer.echo("nothing due")
