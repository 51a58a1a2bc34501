"""PostgreSQL roles: an *owner* that owns the schema objects and runs migrations, and an
*application* role that owns nothing, cannot bypass RLS and gets only the grants the
migrations give it. Run once per cluster/database as a superuser (or a CREATEROLE admin).
"""

from __future__ import annotations

import os
import re

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url

DEFAULT_OWNER_ROLE = "woundcare_owner"
DEFAULT_APP_ROLE = "woundcare_app"
_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def app_role_name() -> str:
    """The application role: env ``WOUNDCARE_DB_APP_ROLE`` or ``woundcare_app``."""
    return os.environ.get("WOUNDCARE_DB_APP_ROLE") or DEFAULT_APP_ROLE


def check_role_name(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"role names must match {_IDENT.pattern}")
    return name


def libpq_url(url: str | URL) -> str:
    """A SQLAlchemy URL as a plain libpq URL for psycopg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def bootstrap_roles(
    superuser_url: str | URL,
    owner_role: str = DEFAULT_OWNER_ROLE,
    app_role: str = DEFAULT_APP_ROLE,
    *,
    owner_password: str | None = None,
    app_password: str | None = None,
    app_login: bool = True,
) -> None:
    """Create (or re-assert the attributes of) the two roles and let the owner create objects
    in the current schema of the database ``superuser_url`` points at. Idempotent.

    Passwords are optional (peer/trust/cert setups); they are sent as SQL literals over the
    connection, never logged.
    """
    owner, app = check_role_name(owner_role), check_role_name(app_role)
    if owner == app:
        raise ValueError("the owner and the application role must differ")
    with psycopg.connect(libpq_url(superuser_url), autocommit=True) as conn:
        _ensure_role(conn, owner, login=True, password=owner_password)
        _ensure_role(conn, app, login=app_login, password=app_password)
        # The app must never inherit the owner's rights.
        conn.execute(
            sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(owner), sql.Identifier(app))
        )
        database = conn.execute("SELECT current_database()").fetchone()
        schema = conn.execute("SELECT current_schema()").fetchone()
        assert database is not None
        assert schema is not None
        db_ident, schema_ident = sql.Identifier(database[0]), sql.Identifier(schema[0])
        for role in (owner, app):
            conn.execute(
                sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db_ident, sql.Identifier(role))
            )
        conn.execute(
            sql.SQL("GRANT USAGE, CREATE ON SCHEMA {} TO {}").format(
                schema_ident, sql.Identifier(owner)
            )
        )
        conn.execute(sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(schema_ident))


def _ensure_role(
    conn: psycopg.Connection[tuple[object, ...]], role: str, *, login: bool, password: str | None
) -> None:
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    verb = sql.SQL("ALTER ROLE") if exists else sql.SQL("CREATE ROLE")
    attrs = sql.SQL(
        "NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION "
        + ("LOGIN" if login else "NOLOGIN")
    )
    stmt = sql.SQL("{} {} {}").format(verb, sql.Identifier(role), attrs)
    if password is not None:
        stmt = sql.SQL("{} PASSWORD {}").format(stmt, sql.Literal(password))
    conn.execute(stmt)


def app_role_problems(url: str | URL) -> list[str]:
    """Why the role behind ``url`` is unfit to be the application role (empty if fit).

    For a production start-up check: the app must not be a superuser, must not bypass RLS,
    and must not own any table in its schema (owners could disable RLS).
    """
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        owned = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            " AND tableowner = current_user"
        ).fetchone()
    problems: list[str] = []
    if row is not None and row[0]:
        problems.append("connected as a superuser")
    if row is not None and row[1]:
        problems.append("role has BYPASSRLS")
    if owned is not None and owned[0]:
        problems.append("role owns tables")
    return problems
