"""Schema migrations, programmatically (no working-directory or alembic.ini assumptions).

On PostgreSQL run these as the *owner* role (``migration_database_url``); the application
role (``app_role``) must exist beforehand (see :mod:`woundcare.storage.roles`) to get grants.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import URL, Connection

from woundcare.storage.database import normalise_url


def migrations_dir() -> Path:
    """The packaged ``migrations`` directory (a real directory in both layouts we ship)."""
    return Path(str(resources.files("woundcare.storage").joinpath("migrations")))


def alembic_config(url: str | URL | None = None, *, app_role: str | None = None) -> Config:
    directory = migrations_dir()
    cfg = Config(str(directory / "alembic.ini"))
    cfg.set_main_option("script_location", str(directory).replace("%", "%%"))
    if url is not None:
        # Passed as an attribute, not an ini option: URLs may contain '%' (escaped passwords).
        cfg.attributes["url"] = normalise_url(url).render_as_string(hide_password=False)
    if app_role is not None:
        cfg.attributes["app_role"] = app_role
    return cfg


def upgrade(db_url: str | URL, revision: str = "head", *, app_role: str | None = None) -> None:
    """Upgrade to ``revision``. ``app_role`` defaults to env ``WOUNDCARE_DB_APP_ROLE`` or
    ``woundcare_app``; grants are applied only if that role exists."""
    command.upgrade(alembic_config(db_url, app_role=app_role), revision)


def downgrade(db_url: str | URL, revision: str, *, app_role: str | None = None) -> None:
    """Downgrade to ``revision`` (an id, ``"-1"`` for one step, or ``"base"``)."""
    command.downgrade(alembic_config(db_url, app_role=app_role), revision)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise RuntimeError("no migration revisions found")
    return head


def current_revision(bind: Engine | Connection) -> str | None:
    """The database's revision, or ``None`` for an empty database."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return _current(conn)
    return _current(bind)


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def is_current(bind: Engine | Connection) -> bool:
    """Readiness: is the schema exactly at the packaged head? (Never raises for a DB error
    it can attribute to a missing schema; connection errors propagate.)"""
    return current_revision(bind) == head_revision()
