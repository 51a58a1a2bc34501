"""Find or start a PostgreSQL server for tests, and create throwaway migrated databases.

Order: ``WOUNDCARE_TEST_PG_URL`` (a superuser URL), else the local server on 127.0.0.1:5432 as
``postgres`` if it answers, else a throwaway cluster started from the installed binaries
(``initdb``/``pg_ctl`` under ``/usr/lib/postgresql/*/bin`` or on ``PATH``) in a temporary
directory, run as the ``postgres`` OS user when the tests run as root.

Every test session gets its own database and its own owner and application roles (random
suffix, random passwords so password and trust authentication both work), all dropped at the
end. Nothing here is needed in production.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url

from woundcare.storage import migrate
from woundcare.storage.roles import bootstrap_roles, libpq_url

LOCAL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@dataclass
class PgServer:
    """A reachable server and a superuser URL (to its maintenance database)."""

    superuser_url: URL
    origin: str  # "env", "local" or "throwaway"
    _stop: Callable[[], None] = field(default=lambda: None, repr=False)

    def stop(self) -> None:
        self._stop()


@dataclass(frozen=True)
class PgDatabase:
    """A throwaway database with its roles. URLs are SQLAlchemy ``postgresql+psycopg`` URLs."""

    name: str
    owner_role: str
    app_role: str
    superuser_url: URL  # superuser, connected to this database
    owner_url: URL  # the owner: migrations, operator tools
    app_url: URL  # the application role: owns nothing, cannot bypass RLS


def _reachable(url: URL, timeout: int = 3) -> bool:
    try:
        with psycopg.connect(libpq_url(url), connect_timeout=timeout) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def _find_binaries() -> tuple[Path, Path] | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for directory in candidates:
        initdb, pg_ctl = Path(directory, "initdb"), Path(directory, "pg_ctl")
        if initdb.exists() and pg_ctl.exists():
            return initdb, pg_ctl
    initdb_path, pg_ctl_path = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb_path and pg_ctl_path:
        return Path(initdb_path), Path(pg_ctl_path)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_throwaway() -> PgServer | None:
    binaries = _find_binaries()
    if binaries is None:
        return None
    initdb, pg_ctl = binaries
    root = Path(tempfile.mkdtemp(prefix="woundcare-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root, ignore_errors=True)
            return None
        os.chown(root, pw.pw_uid, pw.pw_gid)
        runuser = shutil.which("runuser")
        run_as = [runuser, "-u", "postgres", "--"] if runuser else ["su", "postgres", "-c"]
        if not runuser:
            return None  # keep it simple: no shell quoting through su
    data, port = root / "data", _free_port()

    def run(*args: str) -> None:
        subprocess.run([*run_as, *args], check=True, capture_output=True, timeout=120)

    try:
        run(str(initdb), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(str(pg_ctl), "-D", str(data), "-l", str(root / "log"), "-o", options, "-w", "start")
    except (subprocess.SubprocessError, OSError):
        shutil.rmtree(root, ignore_errors=True)
        return None

    def stop() -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            run(str(pg_ctl), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)

    url = make_url(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
    return PgServer(url, "throwaway", stop)


def acquire_server() -> PgServer | None:
    env_url = os.environ.get("WOUNDCARE_TEST_PG_URL")
    if env_url:
        url = make_url(env_url).set(drivername="postgresql+psycopg")
        return PgServer(url, "env") if _reachable(url, timeout=10) else None
    local = make_url(LOCAL_URL)
    if _reachable(local):
        return PgServer(local, "local")
    return _start_throwaway()


def _with(url: URL, *, user: str | None = None, password: str | None = None, db: str) -> URL:
    if user is None:
        return url.set(database=db)
    return url.set(username=user, password=password, database=db)


@contextlib.contextmanager
def throwaway_database(server: PgServer, *, migrated: bool = True) -> Iterator[PgDatabase]:
    """A new database + owner + app role; migrated to head as the owner if ``migrated``."""
    suffix = secrets.token_hex(4)
    name, owner, app = f"wc_test_{suffix}", f"wc_owner_{suffix}", f"wc_app_{suffix}"
    owner_pw, app_pw = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    admin = libpq_url(server.superuser_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    database = PgDatabase(
        name=name,
        owner_role=owner,
        app_role=app,
        superuser_url=_with(server.superuser_url, db=name),
        owner_url=_with(server.superuser_url, user=owner, password=owner_pw, db=name),
        app_url=_with(server.superuser_url, user=app, password=app_pw, db=name),
    )
    try:
        bootstrap_roles(
            database.superuser_url, owner, app, owner_password=owner_pw, app_password=app_pw
        )
        if migrated:
            migrate.upgrade(database.owner_url, app_role=app)
        yield database
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            for role in (app, owner):
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
