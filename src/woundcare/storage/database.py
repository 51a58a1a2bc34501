"""The database handle: one SQLAlchemy engine per process and the unit of work.

SQLite is the embedded default (one file under ``data_dir``, WAL, foreign keys on, a busy
timeout, and ``BEGIN IMMEDIATE`` for writing units of work so two writers queue instead of
failing half-way). PostgreSQL is production: every transaction starts by handing the request
identity to the row-level-security policies with transaction-local ``set_config``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic_core import from_json
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, Connection, RootTransaction, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry

from woundcare.storage.errors import Busy, Unavailable, is_disconnect, is_lock_timeout
from woundcare.storage.identity import Identity
from woundcare.storage.unit_of_work import UnitOfWork

__all__ = ["Database", "Identity", "create_db_engine", "default_sqlite_url", "normalise_url",
           "request_scope"]

SQLITE_BUSY_TIMEOUT_MS = 10_000
_BEGIN_OPTION = "woundcare_sqlite_begin"

_SET_IDENTITY = text(
    "SELECT set_config('woundcare.org_id', :org, true),"
    " set_config('woundcare.clinician_id', :cid, true),"
    " set_config('woundcare.role', :role, true)"
)


class _Carried:
    """One request's transaction, begun by authentication and handed, still open, to the
    request's first unit of work (so the session lookup, the work and its audit commit
    together). Filled in a worker thread, read in another: the holder is shared, the context
    variable only points at it."""

    __slots__ = ("conn", "database", "identity", "tx")

    def __init__(self) -> None:
        self.database: Database | None = None
        self.conn: Connection | None = None
        self.tx: RootTransaction | None = None
        # The identity the session lookup already set in this transaction (see
        # ``SessionRepository.lookup(scope=True)``): the work need not set it again.
        self.identity: Identity | None = None

    def take(self, database: Database | None) -> tuple[Connection, RootTransaction] | None:
        if self.conn is None or self.tx is None or (
                database is not None and self.database is not database):
            return None
        taken = (self.conn, self.tx)
        self.conn = self.tx = None
        self.identity = None
        return taken

    @property
    def pending(self) -> bool:
        return self.conn is not None

    def release(self, commit: bool = True) -> None:
        """End the carried transaction if no unit of work took it (blocking: call it from a
        worker thread)."""
        taken = self.take(None)
        if taken is None:
            return
        conn, tx = taken
        try:
            if commit:
                tx.commit()
        finally:
            conn.close()


_CARRIED: ContextVar[_Carried | None] = ContextVar("woundcare_carried_tx", default=None)


@contextmanager
def request_scope() -> Iterator[_Carried]:
    """Around one HTTP request (the outermost middleware): lets authentication carry its
    transaction into the request's work. Outside a request scope nothing is carried. The
    caller releases what no unit of work took (``holder.pending`` / ``holder.release``)."""
    holder = _Carried()
    token = _CARRIED.set(holder)
    try:
        yield holder
    finally:
        _CARRIED.reset(token)


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
    # JSON columns (a case's payload on every read and write) parsed by pydantic-core, in
    # Rust, rather than the standard library: the same values, in about a third of the time.
    engine_kwargs.setdefault("json_deserializer", from_json)
    engine = create_engine(parsed, **engine_kwargs)
    if not engine_kwargs.get("pool_pre_ping"):
        ping_after_idle(engine)
    return engine


PING_AFTER_IDLE_S = 5.0
"""A pooled connection idle longer than this is pinged before it is handed out."""


def ping_after_idle(engine: Engine) -> None:
    """Check a pooled connection before use only if it sat idle for ``PING_AFTER_IDLE_S``.

    SQLAlchemy's ``pool_pre_ping`` sends ``SELECT 1`` at every checkout: one more round trip
    than the request's own statements, on every request. Connections go stale while idle (a
    restarted server, a proxy or firewall dropping quiet connections), and those are pinged
    here; a dead one is replaced (``DisconnectionError`` makes the pool connect again). A
    connection in steady use is not pinged: if the server goes away mid-load, the request
    using it fails as it would have mid-transaction anyway, and SQLAlchemy's disconnect
    handling then replaces every older connection in the pool."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
        record.info["woundcare.idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_conn: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        since = record.info.get("woundcare.idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return
        try:
            cursor = dbapi_conn.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
            dbapi_conn.rollback()  # end the ping's implicit transaction
        except Exception as exc:
            raise DisconnectionError("a pooled connection did not answer its ping") from exc


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
        """From :class:`woundcare.config.Settings`: ``database_url`` or the SQLite default;
        on PostgreSQL the pool is sized by ``db_pool_size``/``db_max_overflow``, and
        ``db_prepared_statements`` off suits PgBouncer (< 1.21) in transaction pooling."""
        if settings is None:
            from woundcare.config import get_settings

            settings = get_settings()
        url = settings.database_url or default_sqlite_url(settings.data_dir)
        kwargs: dict[str, Any] = {}
        if normalise_url(url).get_backend_name() == "postgresql":
            kwargs["pool_size"] = max(1, int(getattr(settings, "db_pool_size", 10)))
            kwargs["max_overflow"] = max(0, int(getattr(settings, "db_max_overflow", 10)))
            if not getattr(settings, "db_prepared_statements", True):
                kwargs["connect_args"] = {"prepare_threshold": None}
        return cls(url, **kwargs)

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

        The first unit of work of a request whose authentication carried its transaction
        (:meth:`carry`) continues that transaction instead of opening another one.
        """
        try:
            with self._transaction(identity, read_only) as uow:
                yield uow
        except DBAPIError as exc:
            raise _unavailable_or_busy(exc) from None

    @contextmanager
    def _transaction(self, identity: Identity | None, read_only: bool) -> Iterator[UnitOfWork]:
        holder = _CARRIED.get()
        scoped = holder.identity if holder is not None else None
        taken = holder.take(self) if holder is not None else None
        if taken is not None:
            conn, tx = taken
            try:
                with tx:
                    if identity is not None and scoped == identity:  # set by the lookup
                        yield UnitOfWork(conn, identity)
                    else:
                        yield self.rescope(UnitOfWork(conn, None), identity)
            finally:
                conn.close()
            return
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

    def rescope(self, uow: UnitOfWork, identity: Identity | None) -> UnitOfWork:
        """``uow``'s transaction under another identity (RLS follows on PostgreSQL)."""
        if self.dialect == "postgresql":
            uow.conn.execute(_SET_IDENTITY, _identity_params(identity))
        return UnitOfWork(uow.conn, identity)

    @contextmanager
    def carry(self) -> Iterator[tuple[UnitOfWork, bool]]:
        """Pre-authentication work whose transaction the request's work continues: yields
        ``(unit of work, carried)``. On PostgreSQL inside :func:`request_scope` the transaction
        stays open when the block succeeds (the next :meth:`unit_of_work` commits it, or
        :meth:`release_carried`); it rolls back if the block raises. Elsewhere (SQLite, whose
        deferred transactions cannot safely become writers, or outside a request) this is a
        plain read-only unit of work and ``carried`` is False."""
        holder = _CARRIED.get()
        if holder is None or self.dialect != "postgresql" or holder.conn is not None:
            with self.unit_of_work(None, read_only=True) as uow:
                yield uow, False
            return
        try:
            conn = self.engine.connect()
        except DBAPIError as exc:
            raise _unavailable_or_busy(exc) from None
        try:
            tx = conn.begin()  # no identity yet: the session lookup is a definer function
            yield UnitOfWork(conn, None), True
        except DBAPIError as exc:
            conn.close()  # rolls back
            raise _unavailable_or_busy(exc) from None
        except BaseException:
            conn.close()  # rolls back
            raise
        holder.database, holder.conn, holder.tx = self, conn, tx

    def carried_as(self, identity: Identity) -> None:
        """Note that the carried transaction already runs as ``identity`` (the session lookup
        set it in the same statement), so the request's unit of work skips ``set_config``."""
        holder = _CARRIED.get()
        if holder is not None:
            holder.identity = identity

    def release_carried(self, *, commit: bool = True) -> None:
        """End the request's carried transaction now if no unit of work took it."""
        holder = _CARRIED.get()
        if holder is not None and holder.database is self:
            holder.release(commit)

    def dispose(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:  # never print credentials
        return f"Database({self.engine.url.render_as_string(hide_password=True)!r})"


def _unavailable_or_busy(exc: DBAPIError) -> Exception:
    """What a database error means to the request. A write waits at most its lock timeout
    (the idempotency claim sets one): then it is busy, not broken. A lost connection means
    the database was unreachable for this transaction. Both answer 503 with Retry-After and
    changed nothing; anything else stays the error it was."""
    if is_lock_timeout(exc):
        return Busy("a lock was held by another transaction for too long")
    if is_disconnect(exc):
        return Unavailable("the database connection was lost")
    return exc


def _identity_params(identity: Identity | None) -> dict[str, str]:
    # Empty strings (not NULL) when anonymous: the policies treat '' as "no identity".
    if identity is None:
        return {"org": "", "cid": "", "role": ""}
    return {
        "org": str(identity.organisation_id),
        "cid": str(identity.clinician_id),
        "role": identity.role,
    }
