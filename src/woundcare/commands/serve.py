"""``woundcare serve``: the HTTP API and the console."""

from __future__ import annotations

import typer

from woundcare.config import get_settings


def serve(
    host: str | None = typer.Option(None, help="Address to listen on (default: settings)."),
    port: int | None = typer.Option(None, help="Port (default: settings)."),
    migrate: bool | None = typer.Option(
        None, "--migrate/--no-migrate",
        help="Run database migrations first (default: SQLite yes, PostgreSQL no)."),
    workers: int | None = typer.Option(
        None, min=1, help="Worker processes (default: WOUNDCARE_WORKERS, else one per CPU "
                          "with Redis configured, else 1)."),
) -> None:
    """Serve the API, /openapi.json and the console. On the embedded default (SQLite) the
    first start migrates and creates a demo organisation, printing how to log in once."""
    from woundcare.server import serve as run

    run(get_settings(), host=host, port=port, migrate=migrate, workers=workers)
