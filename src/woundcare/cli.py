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
    resume: bool = typer.Option(False, help="Resume the demo case left unfinished in the "
                                "embedded store instead of starting a new one."),
    in_memory: bool = typer.Option(False, "--in-memory", help="Keep nothing: run in memory."),
) -> None:
    """Walk a synthetic case through the whole workflow and print each step."""
    from woundcare.demo import run_demo

    run = run_demo(out=typer.echo)
    if run.case.state.value != "DONE":
        raise typer.Exit(1)


def _register() -> None:
    """Command groups are added by their modules (imported lazily to keep start-up fast)."""
    from woundcare.commands import admin, audit, db, keys, provenance, serve

    app.command("serve")(serve.serve)
    app.command("audit")(audit.audit)
    app.add_typer(admin.app, name="admin")
    app.add_typer(db.app, name="db")
    app.add_typer(keys.app, name="keys")
    app.add_typer(provenance.app, name="provenance")


def main() -> None:
    _register()
    app()


if __name__ == "__main__":
    main()
