"""Alembic environment. Online only; the connection or URL comes from ``config.attributes``
(set by :mod:`woundcare.storage.migrate`) or ``-x url=...`` on the command line.

The PostgreSQL application role that receives grants is resolved here once, in this order:
``config.attributes["app_role"]``, ``-x app_role=NAME``, env ``WOUNDCARE_DB_APP_ROLE``,
``"woundcare_app"``; revisions read ``config.attributes["woundcare_app_role"]``.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from woundcare.storage.database import create_db_engine
from woundcare.storage.schema import metadata

DEFAULT_APP_ROLE = "woundcare_app"

config = context.config


def _app_role() -> str:
    x_args = context.get_x_argument(as_dictionary=True)
    role = (
        config.attributes.get("app_role")
        or x_args.get("app_role")
        or os.environ.get("WOUNDCARE_DB_APP_ROLE")
        or DEFAULT_APP_ROLE
    )
    return str(role)


def _url() -> str:
    x_args = context.get_x_argument(as_dictionary=True)
    url = (
        config.attributes.get("url")
        or x_args.get("url")
        or os.environ.get("WOUNDCARE_MIGRATION_DATABASE_URL")
    )
    if not url:
        raise RuntimeError("no database URL for migrations (attribute 'url' or -x url=...)")
    return str(url)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    config.attributes["woundcare_app_role"] = _app_role()
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_db_engine(_url(), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
