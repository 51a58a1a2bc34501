"""``woundcare keys``: key-version drift and rotation (see docs/key-rotation.md)."""

from __future__ import annotations

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from woundcare.commands._common import operator_engine
from woundcare.config import get_settings
from woundcare.crypto.devkeys import load_key_material
from woundcare.storage.key_rotation import key_drift, rotate_keys

app = typer.Typer(help="Encryption keys: drift and rotation.", no_args_is_help=True)


@app.command()
def status(
    prometheus: bool = typer.Option(
        False, "--prometheus",
        help="Print Prometheus text (for a textfile collector; the drift alert reads it)."),
) -> None:
    """How many cases sit on each key version; the active one is marked."""
    settings = get_settings()
    active = load_key_material(settings).keyring.active_version
    drift = key_drift(operator_engine(settings))
    if prometheus:
        stale = sum(count for version, count in drift.items() if version != active)
        typer.echo("# HELP woundcare_cases_on_old_key_version Cases whose data key is wrapped "
                   "under a non-active key version.")
        typer.echo("# TYPE woundcare_cases_on_old_key_version gauge")
        typer.echo(f"woundcare_cases_on_old_key_version {stale}")
        return
    typer.echo(f"active key version: {active}")
    for version, count in sorted(drift.items()):
        marker = "  (active)" if version == active else "  (drift: rotate)"
        typer.echo(f"  {version:<12} {count:>8} case(s){marker}")
    stale = sum(count for version, count in drift.items() if version != active)
    typer.echo(f"cases on older versions: {stale}")


@app.command()
def rotate(
    batch_size: int = typer.Option(200, min=1, max=10_000, help="Cases per transaction."),
    pause: float = typer.Option(0.0, min=0.0, hidden=True, help="Pause between batches."),
) -> None:
    """Re-wrap every case's data key under the active version. Safe to stop and run again."""
    settings = get_settings()
    keyring = load_key_material(settings).keyring
    with Progress(TextColumn("re-wrapping data keys"), BarColumn(), MofNCompleteColumn()) as bar:
        task = bar.add_task("rotate", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = rotate_keys(operator_engine(settings), keyring, batch_size=batch_size,
                             progress=advance, pause_seconds=pause)
    typer.echo(f"rotated {report.rotated} case(s) to {report.active_version}; "
               f"{report.remaining} still on older versions")
    for case_id, reason in report.failed:
        typer.echo(f"  could not rotate case {case_id}: {reason} "
                   "(is its key version in FIELD_ENCRYPTION_LEGACY_KEYS?)")
    if report.failed:
        raise typer.Exit(2)
