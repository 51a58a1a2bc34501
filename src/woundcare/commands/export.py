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
