"""The ``woundcare`` command line. Each command group lives in ``woundcare.commands.<name>``
and is registered here; keep this file a table of contents."""

from __future__ import annotations

import json

import typer

from woundcare.domain.record import CaseRecord

app = typer.Typer(help="woundcare: wound-care intake orchestrator.", no_args_is_help=True,
                  add_completion=False)


@app.command()
def schema() -> None:
    """Print the case record's JSON Schema (the contract for the console and exporters)."""
    typer.echo(json.dumps(CaseRecord.model_json_schema(), indent=2))


@app.command()
def demo(
    resume: bool = typer.Option(False, help="Resume the newest unfinished demo case."),
    stop_after: str | None = typer.Option(None, help="Stop once the case reaches this "
                                          "state (e.g. VITALS); resume later with --resume."),
    in_memory: bool = typer.Option(False, "--in-memory", help="Keep nothing: run in memory."),
) -> None:
    """Walk a synthetic case through the whole workflow and print each step. Every step is
    autosaved to the embedded store (unless --in-memory)."""
    from woundcare.demo import run_demo, run_persistent_demo
    from woundcare.domain.enums import WorkflowState

    stop = None
    if stop_after is not None:
        try:
            stop = WorkflowState(stop_after.upper())
        except ValueError:
            raise typer.BadParameter(f"not a workflow state: {stop_after}") from None
    if in_memory:
        run = run_demo(out=typer.echo, stop_after=stop)
    else:
        run = run_persistent_demo(out=typer.echo, resume=resume, stop_after=stop)
    if run.case.state.value != "DONE" and stop is None:
        raise typer.Exit(1)


def _register() -> None:
    """Command groups are added by their modules (imported lazily to keep start-up fast)."""
    from woundcare.commands import (
        admin,
        audit,
        db,
        export,
        guardrail,
        imaging,
        keys,
        provenance,
        serve,
    )

    app.command("serve")(serve.serve)
    app.command("audit")(audit.audit)
    app.command("marker")(imaging.marker)
    app.command("measure")(imaging.measure)
    app.add_typer(admin.app, name="admin")
    app.add_typer(db.app, name="db")
    app.add_typer(guardrail.app, name="guardrail")
    app.add_typer(keys.app, name="keys")
    app.add_typer(provenance.app, name="provenance")
    app.add_typer(export.app, name="export")


def main() -> None:
    _register()
    app()


if __name__ == "__main__":
    main()
