"""The ``woundcare`` command line. Each command group lives in ``woundcare.commands.<name>``
and is registered here; keep this file a table of contents."""

from __future__ import annotations

import json
from collections.abc import Sequence

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


# command -> (module under woundcare.commands, function); group -> module with its ``app``
_COMMANDS = {"serve": ("serve", "serve"), "audit": ("audit", "audit"),
             "marker": ("imaging", "marker"), "measure": ("imaging", "measure")}
_GROUPS = ("admin", "db", "guardrail", "keys", "provenance", "export")


def _register(argv: Sequence[str] = ()) -> None:
    """Command groups are added by their modules, imported lazily to keep start-up fast: a
    known command imports only its own module (``serve`` must not load imaging, migrations
    and the operator tools), anything else (help, a typo) imports them all."""
    from importlib import import_module

    wanted = _wanted(argv)
    everything = wanted not in (*_COMMANDS, *_GROUPS)
    for name, (module, function) in _COMMANDS.items():
        if everything or wanted == name:
            command = getattr(import_module(f"woundcare.commands.{module}"), function)
            app.command(name)(command)
    for name in _GROUPS:
        if everything or wanted == name:
            app.add_typer(import_module(f"woundcare.commands.{name}").app, name=name)


def main() -> None:
    import sys

    if _wanted(sys.argv) == "serve":
        import gc

        # Start-up creates a few hundred thousand long-lived objects (modules, classes,
        # models); the cyclic collector would walk them again and again for nothing. The
        # server resumes it before it listens (woundcare.server.resume_gc).
        gc.disable()
    _register(sys.argv)
    try:
        app()
    except Exception as exc:
        from pydantic import ValidationError

        from woundcare.config import Settings, configuration_problems

        if not isinstance(exc, ValidationError) or exc.title != Settings.__name__:
            raise
        # a setting that cannot be read: say which and why, not a traceback (exit status 2)
        print("woundcare cannot start: a setting is not valid.", file=sys.stderr)
        for problem in configuration_problems(exc):
            print(f"  - {problem}", file=sys.stderr)
        raise SystemExit(2) from None


def _wanted(argv: Sequence[str]) -> str | None:
    """The command asked for: the first argument that is not an option."""
    return next((arg for arg in argv[1:] if not arg.startswith("-")), None)


if __name__ == "__main__":
    main()
