"""``woundcare serve --workers N``: every worker listens on its own socket in the port's
SO_REUSEPORT group (woundcare.supervisor), so long-lived keep-alive connections spread over
the workers instead of piling onto whichever accepted first; the supervisor keeps the port."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import _free_port, serve_command


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


ESTABLISHED, LISTENING = "01", "0A"  # /proc/net/tcp's state column


def _socket_inodes(port: int, state: str) -> set[int]:
    """Inodes of the TCP sockets whose local port is ``port``, in ``state``."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                inodes.add(int(fields[9]))
    return inodes


def _held(pid: int, inodes: set[int]) -> int:
    """How many of the sockets ``inodes`` process ``pid`` holds."""
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and int(target[8:-1]) in inodes:
            held += 1
    return held


def _keep_alive_get(sock: socket.socket, port: int) -> bytes:
    """One request on a kept-alive connection; its status line (the body is read off)."""
    sock.sendall(f"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        assert chunk, "the server closed the connection"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        chunk = sock.recv(4096)
        assert chunk, "the server closed the connection"
        body += chunk
    return head.split(b"\r\n", 1)[0]


@pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="needs SO_REUSEPORT")
def test_keep_alive_connections_spread_over_every_worker(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("WOUNDCARE_", "OTEL_", "PROMETHEUS_"))}
    env.update({"WOUNDCARE_DATA_DIR": str(tmp_path / "data"), "WOUNDCARE_PROFILE": "dev",
                "WOUNDCARE_METRICS_PORT": "0"})
    with (tmp_path / "err").open("wb") as err:
        process = subprocess.Popen([*serve_command(), "--port", str(port), "--workers", "2"],
                                   cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                                   stderr=err)
    sockets: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 120
        while len(workers := _workers(process.pid)) < 2 or not all(
                _held(pid, _socket_inodes(port, LISTENING)) for pid in workers):
            assert process.poll() is None, (tmp_path / "err").read_text()[-3000:]
            assert time.monotonic() < deadline, "the workers did not start listening"
            time.sleep(0.2)
        # the supervisor holds the port: another program cannot take it
        with socket.socket() as other, pytest.raises(OSError):
            other.bind(("127.0.0.1", port))
        for _ in range(24):  # 24 tablets, each keeping its connection open
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sockets.append(sock)
            assert _keep_alive_get(sock, port).startswith(b"HTTP/1.1 200")
        connections = _socket_inodes(port, ESTABLISHED)
        held = {pid: _held(pid, connections) for pid in _workers(process.pid)}
        assert sum(held.values()) == 24, held
        # every worker serves some (a hash of the addresses: all 24 on one worker would be a
        # 1 in 8 million chance), none left idle while another queues
        assert len(held) == 2
        assert min(held.values()) >= 1, held
        for sock in sockets:  # and each connection is still served, kept alive
            assert _keep_alive_get(sock, port).startswith(b"HTTP/1.1 200")
    finally:
        for sock in sockets:
            sock.close()
        process.terminate()
        process.wait(timeout=30)
    assert process.returncode == 0, (tmp_path / "err").read_text()[-3000:]


def _workers(supervisor: int) -> list[int]:
    """The supervisor's worker processes (uvicorn workers; not multiprocessing's helper)."""
    return [pid for pid in _children(supervisor)
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
            and b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()]
