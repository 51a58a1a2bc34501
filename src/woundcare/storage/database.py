"""The database handle: one SQLAlchemy engine per process and the unit of work.

SQLite is the embedded default (one file under ``data_dir``, WAL, foreign keys on, a busy
timeout, and ``BEGIN IMMEDIATE`` for writing units of work so two writers queue instead of
failing half-way). PostgreSQL is production: every transaction starts by handing the request
identity to the row-level-security policies with transaction-local ``set_config``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.pool import ConnectionPoolEntry

from woundcare.storage.identity import Identity
from woundcare.storage.unit_of_work import UnitOfWork

__all__ = ["Database", "Identity", "create_db_engine", "default_sqlite_url", "normalise_url"]

SQLITE_BUSY_TIMEOUT_MS = 10_000
_BEGIN_OPTION = "woundcare_sqlite_begin"

_SET_IDENTITY = text(
    "SELECT set_config('woundcare.org_id', :org, true),"
    " set_config('woundcare.clinician_id', :cid, true),"
    " set_config('woundcare.role', :role, true)"
)


def default_sqlite_url(data_dir: Path) -> str:
    """``sqlite:///{data_dir}/woundcare.db``, creating ``data_dir`` (owner-only) if needed."""
    data_dir = Path(data_dir).expanduser().resolve()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'woundcare.db'}"


def normalise_url(url: str | URL) -> URL:
    """Accept ``postgres://`` and ``postgresql://`` and always use the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(f"unsupported database backend {parsed.get_backend_name()!r}")
    return parsed


def create_db_engine(url: str | URL, **engine_kwargs: Any) -> Engine:
    """An engine configured for this application (used by :class:`Database` and migrations)."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, **engine_kwargs)
    engine_kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **engine_kwargs)


def _sqlite_engine(url: URL, **engine_kwargs: Any) -> Engine:
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = create_engine(url, **engine_kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: ConnectionPoolEntry) -> None:
        # Take transaction control away from pysqlite; the "begin" hook below emits BEGIN.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS:d}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if database not in ("", ":memory:"):
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "IMMEDIATE")
        conn.exec_driver_sql("BEGIN DEFERRED" if mode == "DEFERRED" else "BEGIN IMMEDIATE")

    return engine


class Database:
    """Owns the engine. Create one per process (or per role: the owner for operator tools)."""

    def __init__(self, url: str | URL, **engine_kwargs: Any) -> None:
        self.engine: Engine = create_db_engine(url, **engine_kwargs)
        self.dialect: str = self.engine.dialect.name

    @classmethod
    def from_settings(cls, settings: Any | None = None) -> Database:
        """From :class:`woundcare.config.Settings`: ``database_url`` or the SQLite default."""
        if settings is None:
            from woundcare.config import get_settings

            settings = get_settings()
        url = settings.database_url or default_sqlite_url(settings.data_dir)
        return cls(url)

    @property
    def is_postgresql(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def unit_of_work(
        self, identity: Identity | None = None, *, read_only: bool = False
    ) -> Iterator[UnitOfWork]:
        """One transaction: commit when the block succeeds, roll back when it raises.

        ``identity`` scopes every repository call and, on PostgreSQL, the RLS policies
        (transaction-local, so nothing leaks to the next user of a pooled connection).
        ``None`` is for pre-authentication work and operator tools only.
        """
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                conn = conn.execution_options(
                    **{_BEGIN_OPTION: "DEFERRED" if read_only else "IMMEDIATE"}
                )
            with conn.begin():
                if self.dialect == "postgresql":
                    if read_only:
                        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                    conn.execute(_SET_IDENTITY, _identity_params(identity))
                yield UnitOfWork(conn, identity)

    def dispose(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:  # never print credentials
        return f"Database({self.engine.url.render_as_string(hide_password=True)!r})"


def _identity_params(identity: Identity | None) -> dict[str, str]:
    # Empty strings (not NULL) when anonymous: the policies treat '' as "no identity".
    if identity is None:
        return {"org": "", "cid": "", "role": ""}
    return {
        "org": str(identity.organisation_id),
        "cid": str(identity.clinician_id),
        "role": identity.role,
    }
