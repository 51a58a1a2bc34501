"""Helpers shared by the security regression tests: a client that sends an Idempotency-Key
with every write (as the console does on every autosave) and a real server process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from tests.api.conftest import Api, World


class KeyedApi(Api):
    """Every POST carries a fresh Idempotency-Key unless one is given."""

    def post(self, path: str, version: int | None = None, *, key: str | None = None,
             **kwargs: Any) -> httpx.Response:
        return super().post(path, version, key=key or str(uuid.uuid4()), **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(world: World, data_dir: Path, **extra: str) -> dict[str, str]:
    s = world.runtime.settings
    secret = lambda value: value.get_secret_value()  # noqa: E731
    return {**os.environ, "WOUNDCARE_PROFILE": "dev",
            "WOUNDCARE_DATABASE_URL": world.backend.url,
            "WOUNDCARE_DATA_DIR": str(data_dir), "WOUNDCARE_PASSWORD_HASH_FAST": "true",
            "WOUNDCARE_BOOTSTRAP_DEMO": "false", "WOUNDCARE_RATE_LIMIT_PER_MINUTE": "100000",
            "WOUNDCARE_LOGIN_MAX_ATTEMPTS_PER_CLIENT": "100000",
            "WOUNDCARE_LOG_LEVEL": "WARNING",
            "FIELD_ENCRYPTION_KEY": secret(s.field_encryption_key),
            "FIELD_ENCRYPTION_KEY_VERSION": s.field_encryption_key_version,
            "WOUNDCARE_SEARCH_HMAC_KEY": secret(s.search_hmac_key),
            "WOUNDCARE_PIN_PEPPER": secret(s.pin_pepper),
            "WOUNDCARE_AUDIT_HMAC_KEY": secret(s.audit_hmac_key), **extra}


class Server:
    """``python -m woundcare.server`` on a free port; stopped (and reaped) by :meth:`stop`."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "woundcare.server"], env={**env, "WOUNDCARE_PORT":
                                                              str(self.port)},
            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.output = ""

    def wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(self.process.communicate()[1][-4000:])
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.url} did not become ready")

    def rss_bytes(self) -> int:
        """Resident set size of the server process (Linux /proc)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise AssertionError("no VmRSS")

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            out, err = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate(timeout=20)
        self.output = out + err
        return self.output
