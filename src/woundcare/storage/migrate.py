"""Schema migrations, programmatically (no working-directory or alembic.ini assumptions).

On PostgreSQL run these as the *owner* role (``migration_database_url``); the application
role (``app_role``) must exist beforehand (see :mod:`woundcare.storage.roles`) to get grants.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import DBAPIError

from woundcare.storage.database import normalise_url

if TYPE_CHECKING:  # alembic is imported when migrating, not when a server starts
    from alembic.config import Config


def migrations_dir() -> Path:
    """The packaged ``migrations`` directory (a real directory in both layouts we ship)."""
    return Path(str(resources.files("woundcare.storage").joinpath("migrations")))


def alembic_config(url: str | URL | None = None, *, app_role: str | None = None) -> Config:
    from alembic.config import Config

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
    from alembic import command

    command.upgrade(alembic_config(db_url, app_role=app_role), revision)


def downgrade(db_url: str | URL, revision: str, *, app_role: str | None = None) -> None:
    """Downgrade to ``revision`` (an id, ``"-1"`` for one step, or ``"base"``)."""
    from alembic import command

    command.downgrade(alembic_config(db_url, app_role=app_role), revision)


def head_revision() -> str:
    from alembic.script import ScriptDirectory

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
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


@lru_cache(maxsize=1)
def packaged_heads() -> frozenset[str]:
    """The packaged revisions no other revision follows, read from the revision files'
    ``revision``/``down_revision`` assignments (no alembic import: start-up stays fast)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((migrations_dir() / "versions").glob("*.py")):
        values: dict[str, object] = {}
        for node in _module_header(path.read_text(encoding="utf-8")):
            target: ast.expr
            if isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            else:
                continue
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                values[target.id] = ast.literal_eval(value)
        if isinstance(values.get("revision"), str):
            revisions.add(str(values["revision"]))
            down = values.get("down_revision")
            parents.update([down] if isinstance(down, str) else
                           [d for d in down if isinstance(d, str)]
                           if isinstance(down, tuple | list) else [])
    return frozenset(revisions - parents)


def _module_header(source: str) -> list[ast.stmt]:
    """The statements before a revision file's first function (its docstring, imports and
    identifiers): parsing only those keeps the readiness check cheap; the whole file if the
    header alone does not parse."""
    cut = source.find("\ndef ")
    try:
        return ast.parse(source if cut < 0 else source[:cut]).body
    except SyntaxError:
        return ast.parse(source).body


def is_current(bind: Engine | Connection) -> bool:
    """Readiness: is the schema exactly at the packaged head(s)? One query on
    ``alembic_version`` (a database without it is not current; connection errors
    propagate)."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return is_current(conn)
    try:
        rows = bind.execute(text("SELECT version_num FROM alembic_version")).scalars()
        found = frozenset(str(row) for row in rows)
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise
        return False
    return bool(found) and found == packaged_heads()
