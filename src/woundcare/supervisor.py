"""Several worker processes, each listening on its own ``SO_REUSEPORT`` socket.

uvicorn's supervisor binds one socket and hands it to every worker; the workers then race to
accept from it, and long-lived keep-alive connections (a clinic's tablets, nginx's upstream
pool) pile up on whichever worker woke first, or only on the workers that had finished
starting. Measured with the load benchmark, 32 connections over 4 workers landed 16/10/6/0:
one worker idle while another queued twice its share. Here every worker opens its own
listening socket in one ``SO_REUSEPORT`` group once its app is loaded, and the kernel spreads
new connections over the listening workers by a hash of the addresses. The supervising
process keeps the port bound (never listening, so no connection is routed to it) for as long
as it runs, so no other program takes the port between worker restarts.

uvicorn's supervisor is used as it is (worker health checks, restarts, signals); only the
worker's start is replaced, by naming this module's worker class for the supervisor's run.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

from uvicorn import Config
from uvicorn.supervisors import multiprocess


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` in the port's ``SO_REUSEPORT`` group (not yet
    listening). IPv6 when ``host`` is an IPv6 address."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(False)
    return sock


class ReusePortWorker(multiprocess.Process):
    """One worker: loads the app, then listens on a socket of its own (see the module)."""

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # pragma: no cover
        # (runs in the worker process; the supervisor test drives it end to end)
        threading.Thread(target=self.always_pong, daemon=True).start()
        config: Config = self.config
        if not config.loaded:
            config.load()  # the app's imports and build before the worker takes connections
        sock = reuse_port_socket(config.host, config.port)
        sock.listen(config.backlog)
        self.server.run([sock])


class ReusePortSupervisor(multiprocess.Multiprocess):
    """uvicorn's supervisor starting :class:`ReusePortWorker` processes."""

    def run(self) -> None:
        original = multiprocess.Process
        multiprocess.Process = ReusePortWorker  # type: ignore[misc]
        try:
            super().run()
        finally:
            multiprocess.Process = original  # type: ignore[misc]


def run_workers(app: str, workers: int, **options: Any) -> None:
    """Serve ``app`` (an import string; ``factory=True`` in ``options`` for a factory) from
    ``workers`` processes, each on its own socket in the port's ``SO_REUSEPORT`` group."""
    config = Config(app, workers=workers, **options)
    if not hasattr(socket, "SO_REUSEPORT"):  # not Linux: uvicorn's own shared socket
        multiprocess.Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    holder = reuse_port_socket(config.host, config.port)  # the port stays ours
    try:
        ReusePortSupervisor(config, sockets=[]).run()
    finally:
        holder.close()
