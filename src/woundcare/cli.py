"""The ``woundcare`` command line."""

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
def demo() -> None:
    """Walk a synthetic case through the whole workflow and print each step."""
    from woundcare.demo import run_demo

    run = run_demo(out=typer.echo)
    if run.case.state.value != "DONE":
        raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
