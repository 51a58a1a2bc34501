"""What the operator commands share: the operator's database engine (the owner role)."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from woundcare.config import Settings, get_settings
from woundcare.storage.database import create_db_engine, default_sqlite_url


def database_url(settings: Settings) -> str:
    """The application's database (SQLite under the data dir by default)."""
    return settings.database_url or default_sqlite_url(settings.data_dir)


def operator_url(settings: Settings) -> str:
    """Migrations and operator commands run as the owner role (``migration_database_url``)."""
    return settings.migration_database_url or database_url(settings)


def operator_engine(settings: Settings | None = None) -> Engine:
    return create_db_engine(operator_url(settings or get_settings()))
