"""What the operator commands share: the operator's database engine (the owner role), and
refusals reported as one line instead of a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.engine import Engine

from woundcare.config import Settings, get_settings
from woundcare.domain.errors import DomainError
from woundcare.service.errors import ApiError
from woundcare.storage.database import create_db_engine, default_sqlite_url
from woundcare.storage.errors import Conflict, StorageError


def database_url(settings: Settings) -> str:
    """The application's database (SQLite under the data dir by default)."""
    return settings.database_url or default_sqlite_url(settings.data_dir)


def operator_url(settings: Settings) -> str:
    """Migrations and operator commands run as the owner role (``migration_database_url``)."""
    return settings.migration_database_url or database_url(settings)


def operator_engine(settings: Settings | None = None) -> Engine:
    return create_db_engine(operator_url(settings or get_settings()))


@contextmanager
def refusals() -> Iterator[None]:
    """A refusal by the service or the store (an e-mail already in use, no such case...)
    becomes one line on standard error and exit status 1. The messages carry no PHI."""
    try:
        yield
    except ApiError as exc:
        _refuse(exc.detail)
    except DomainError as exc:
        _refuse(exc.message)
    except Conflict:
        _refuse("A clinician with this e-mail address already exists.")
    except (StorageError, ValueError) as exc:
        _refuse(f"{str(exc).rstrip('.').capitalize()}.")


def _refuse(message: str) -> None:
    typer.echo(f"refused: {message}", err=True)
    raise typer.Exit(1)
