"""What the operator commands share: settings, the operator's database engine, key material."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from woundcare.config import Settings, get_settings


def database_url(settings: Settings) -> str:
    """The application's database (SQLite under the data dir by default)."""
    if settings.database_url:
        return settings.database_url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{settings.data_dir / 'woundcare.db'}"


def operator_url(settings: Settings) -> str:
    """Migrations and operator commands run as the owner role (``migration_database_url``)."""
    return settings.migration_database_url or database_url(settings)


def operator_engine(settings: Settings | None = None) -> Engine:
    return sa.create_engine(operator_url(settings or get_settings()))
