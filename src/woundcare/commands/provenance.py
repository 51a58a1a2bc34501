"""``woundcare provenance``: check a case's tamper-evident provenance chain."""

from __future__ import annotations

from uuid import UUID

import typer

from woundcare.commands._common import operator_engine
from woundcare.domain.errors import CaseNotFound
from woundcare.storage.integrity import verify_case_provenance

app = typer.Typer(help="Provenance: verify the hash chain.", no_args_is_help=True)


@app.command()
def verify(case_id: UUID) -> None:
    """Exit 0 if the chain is intact; 1 and the problems if any entry was edited, inserted,
    deleted or cut off."""
    try:
        report = verify_case_provenance(operator_engine(), case_id)
    except CaseNotFound:
        typer.echo("no such case", err=True)
        raise typer.Exit(2) from None
    if report.ok:
        typer.echo(f"intact: {report.entries} entries, head {report.head}")
        return
    typer.echo(f"TAMPERED: {len(report.problems)} problem(s) in {report.entries} entries")
    for problem in report.problems:
        typer.echo(f"  entry {problem.seq}: {problem.kind}: {problem.message}")
    raise typer.Exit(1)
