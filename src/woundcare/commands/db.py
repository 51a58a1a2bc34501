"""``woundcare db``: migrations (as the owner role) and role bootstrap."""

from __future__ import annotations

import os

import typer

from woundcare.commands._common import operator_engine, operator_url
from woundcare.config import get_settings
from woundcare.storage import migrate, roles

app = typer.Typer(help="Database: migrations and roles.", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head")) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    migrate.upgrade(operator_url(get_settings()), revision, app_role=roles.app_role_name())
    typer.echo(f"database at {migrate.head_revision() if revision == 'head' else revision}")


@app.command()
def downgrade(revision: str = typer.Argument("-1")) -> None:
    """Undo migrations down to REVISION (default: one step)."""
    migrate.downgrade(operator_url(get_settings()), revision, app_role=roles.app_role_name())
    typer.echo("downgraded")


@app.command()
def status() -> None:
    """Show the current and newest migration; exit 1 if the schema is behind."""
    engine = operator_engine()
    try:
        current = migrate.current_revision(engine)
    finally:
        engine.dispose()
    head = migrate.head_revision()
    typer.echo(f"current: {current}\nnewest:  {head}")
    if current != head:
        typer.echo("the schema is behind: run `woundcare db upgrade`")
        raise typer.Exit(1)


@app.command("reindex-search")
def reindex_search_command(
    batch_size: int = typer.Option(200, min=1, max=10_000, help="Cases per transaction."),
) -> None:
    """Rebuild the patient search index (the keyed blind index of names, dates of birth and
    MRNs) for every case: after upgrading from a version without it, or after changing
    WOUNDCARE_SEARCH_HMAC_KEY. Safe to stop and run again."""
    from woundcare.crypto.devkeys import load_key_material
    from woundcare.storage.search_reindex import reindex_search

    settings = get_settings()
    count, failed = reindex_search(operator_engine(settings), load_key_material(settings),
                                   batch_size=batch_size)
    typer.echo(f"indexed {count} case(s)")
    for case_id in failed:
        typer.echo(f"could not read case {case_id} (check the keys)", err=True)
    if failed:
        raise typer.Exit(1)


@app.command("bootstrap-roles")
def bootstrap_roles(
    superuser_url: str = typer.Option(..., envvar="WOUNDCARE_DB_SUPERUSER_URL",
                                      help="A PostgreSQL superuser connection."),
    owner_role: str = typer.Option(roles.DEFAULT_OWNER_ROLE),
    app_role: str = typer.Option(roles.app_role_name()),
) -> None:
    """Create the owner role (owns the tables) and the application role (owns nothing,
    cannot bypass row-level security). Passwords come from WOUNDCARE_DB_OWNER_PASSWORD and
    WOUNDCARE_DB_APP_PASSWORD, never from the command line."""
    roles.bootstrap_roles(superuser_url, owner_role, app_role,
                          owner_password=os.environ.get("WOUNDCARE_DB_OWNER_PASSWORD"),
                          app_password=os.environ.get("WOUNDCARE_DB_APP_PASSWORD"))
    typer.echo(f"roles ready: owner {owner_role}, application {app_role}")
