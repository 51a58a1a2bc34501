"""Real servers the scale-out tests start and stop themselves, each on a random loopback port
in a temporary directory, as a child process (never a daemon): Redis, nginx, PgBouncer, the
woundcare server itself. Nothing here reaches beyond 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args!r} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listened on port {port}")


def wait_ready(url: str, process: subprocess.Popen[bytes], seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not become ready")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def binary(name: str) -> str:
    found = shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()),
        None)
    if found is None:
        pytest.skip(f"{name} is not installed (scripts/install-tools.sh installs it)")
    return found


@contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """A private ``redis-server`` (no persistence); yields its URL."""
    port = free_port()
    directory.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [binary("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(directory), "--daemonize", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


@contextmanager
def nginx(directory: Path, upstreams: list[str]) -> Iterator[str]:
    """Debian's nginx in the foreground with a generated configuration: one round-robin
    upstream over ``upstreams`` (``host:port``), passing the client address on."""
    port = free_port()
    directory.mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"    server {u} max_fails=0;" for u in upstreams)
    temp = directory / "tmp"
    temp.mkdir(exist_ok=True)
    (directory / "nginx.conf").write_text(f"""
worker_processes 1;
daemon off;
pid {directory / 'nginx.pid'};
error_log {directory / 'error.log'} warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {temp / 'body'};
  proxy_temp_path {temp / 'proxy'};
  fastcgi_temp_path {temp / 'fastcgi'};
  uwsgi_temp_path {temp / 'uwsgi'};
  scgi_temp_path {temp / 'scgi'};
  client_max_body_size 20m;
  upstream woundcare {{
{servers}
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://woundcare;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream off;
    }}
  }}
}}
""")
    process = subprocess.Popen(
        [binary("nginx"), "-c", str(directory / "nginx.conf"), "-p", str(directory),
         "-e", str(directory / "error.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def _unprivileged() -> tuple[list[str], int, int] | None:
    """(command prefix, uid, gid) to run a server as an ordinary user when the tests run as
    root (PgBouncer refuses root), or None."""
    if os.geteuid() != 0:
        return None
    import pwd

    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", name, "--"], entry.pw_uid, entry.pw_gid
    pytest.skip("running as root without an ordinary user to run PgBouncer as")


@contextmanager
def pgbouncer(directory: Path, host: str, port: int, database: str,
              users: dict[str, str]) -> Iterator[int]:
    """PgBouncer in transaction-pooling mode in front of ``database``; yields its port. As
    root it runs as ``postgres`` (or ``nobody``) from a directory of its own in /tmp."""
    listen = free_port()
    as_user = _unprivileged()
    if as_user is not None:
        directory = Path(tempfile.mkdtemp(prefix="woundcare-pgbouncer-"))
    directory.mkdir(parents=True, exist_ok=True)
    auth = directory / "users.txt"
    auth.write_text("".join(f'"{user}" "{password}"\n' for user, password in users.items()))
    auth.chmod(0o600)
    ini = directory / "pgbouncer.ini"
    ini.write_text(f"""[databases]
{database} = host={host} port={port} dbname={database}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen}
unix_socket_dir =
auth_type = plain
auth_file = {auth}
pool_mode = transaction
max_client_conn = 200
default_pool_size = 8
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
logfile = {directory / 'pgbouncer.log'}
pidfile = {directory / 'pgbouncer.pid'}
""")
    prefix: list[str] = []
    if as_user is not None:
        prefix, uid, gid = as_user
        for path in (directory, auth, ini):
            os.chown(path, uid, gid)
    process = subprocess.Popen([*prefix, binary("pgbouncer"), str(ini)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(listen, process)
        yield listen
    finally:
        stop(process)
        if as_user is not None:
            shutil.rmtree(directory, ignore_errors=True)


def woundcare_server(env: dict[str, str], cwd: Path, log: Path,
                     args: tuple[str, ...] = ()) -> subprocess.Popen[bytes]:
    """``woundcare serve`` as a child process writing its output to ``log`` (the caller waits
    for /readyz and stops it)."""
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "woundcare.cli", "serve", *args],
                                env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
