"""End-to-end fixtures: a real ``woundcare serve`` on a free loopback port with a temporary
data directory (dev profile), the demo clinician its first start prints, and a headless
Debian Chromium driven by Playwright through ``executable_path``.

Chromium is installed by ``scripts/install-browser.sh`` (the test command runs it). Without
it these tests skip, except under ``CI=true`` where a missing browser is a failure.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

CHROMIUM = os.environ.get("WOUNDCARE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def serve_command() -> list[str]:
    """``woundcare serve`` from this virtualenv (``WOUNDCARE_E2E_SERVE`` may override it)."""
    override = os.environ.get("WOUNDCARE_E2E_SERVE")
    if override:
        return shlex.split(override)
    exe = Path(sys.executable).with_name("woundcare")
    return [str(exe), "serve"] if exe.exists() else [sys.executable, "-m", "woundcare.cli", "serve"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    """``woundcare serve`` as a subprocess that can be stopped and started again on the same
    port and data directory (the offline scenario)."""

    workdir: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None
    email: str = ""
    password: str = ""
    pin: str = ""
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def data_dir(self) -> Path:
        return self.workdir / "data"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("WOUNDCARE_")}
        env.update({
            "WOUNDCARE_PROFILE": "dev",
            "WOUNDCARE_DATA_DIR": str(self.data_dir),
            "WOUNDCARE_DATABASE_URL": "",
            "WOUNDCARE_HOST": "127.0.0.1",
            "WOUNDCARE_PORT": str(self.port),
            # Every scenario runs from one address; keep the per-client limit out of the way.
            "WOUNDCARE_RATE_LIMIT_PER_MINUTE": "5000",
            # Every scenario logs the demo clinician in again: keep the log-in limits (which
            # count successful log-ins too) out of the way as well.
            "WOUNDCARE_LOGIN_MAX_ATTEMPTS": "1000",
            "WOUNDCARE_LOGIN_MAX_ATTEMPTS_PER_CLIENT": "5000",
            "WOUNDCARE_LOG_JSON": "true",
            "WOUNDCARE_PASSWORD_HASH_FAST": "true",
        })
        return env

    def start(self) -> None:
        self.starts += 1
        out = (self.workdir / f"server-{self.starts}.out").open("wb")
        err = (self.workdir / f"server-{self.starts}.err").open("wb")
        self.process = subprocess.Popen(
            [*serve_command(), "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=self.workdir, env=self.env(), stdout=out, stderr=err,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"woundcare serve exited:\n{self.logs()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"woundcare serve did not become healthy:\n{self.logs()}")
        if self.starts == 1:
            self._read_demo_login()

    def _read_demo_login(self) -> None:
        text = (self.workdir / "server-1.out").read_text(errors="replace")
        for _ in range(50):
            if "PIN" in text:
                break
            time.sleep(0.1)
            text = (self.workdir / "server-1.out").read_text(errors="replace")
        found = {
            key: re.search(pattern, text)
            for key, pattern in {"email": r"Log in\s+(\S+)", "password": r"Password\s+(\S+)",
                                 "pin": r"PIN\s+(\d+)"}.items()
        }
        missing = [k for k, m in found.items() if m is None]
        if missing:
            raise RuntimeError(f"no demo log-in ({missing}) in the first start's output:\n{text}")
        self.email, self.password, self.pin = (
            found[k].group(1) for k in ("email", "password", "pin")  # type: ignore[union-attr]
        )

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def logs(self) -> str:
        parts = []
        for path in sorted(self.workdir.glob("server-*.*")):
            parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts)

    def revoke_sessions(self) -> int:
        """Revoke every log-in session server side (as an operator would)."""
        candidates = [p for pattern in ("**/*.db", "**/*.sqlite", "**/*.sqlite3")
                      for p in sorted(self.data_dir.glob(pattern))]
        if not candidates:
            raise RuntimeError(f"no SQLite database under {self.data_dir}")
        with contextlib.closing(sqlite3.connect(candidates[0])) as conn:
            cur = conn.execute("UPDATE login_sessions SET revoked_at = last_seen_at "
                               "WHERE revoked_at IS NULL")
            conn.commit()
            return cur.rowcount


@pytest.fixture(scope="session")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}; run scripts/install-browser.sh"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("woundcare-e2e"))
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
        if os.environ.get("WOUNDCARE_E2E_KEEP") != "1":
            shutil.rmtree(srv.workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def context(browser: object, server: Server) -> Iterator[object]:
    ctx = browser.new_context(  # type: ignore[attr-defined]
        base_url=server.url, viewport={"width": 1280, "height": 900}, locale="en-GB",
        timezone_id="UTC",
    )
    ctx.set_default_timeout(15_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: object, request: pytest.FixtureRequest) -> Iterator[object]:
    pg = context.new_page()  # type: ignore[attr-defined]
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    pg.on("console", lambda msg: problems.append(f"console: {msg.text}")
          if msg.type == "error" and "Content Security Policy" in msg.text else None)
    # A reload with unsaved edits asks "leave the page?"; a clinician would confirm.
    pg.on("dialog", lambda dialog: dialog.accept())
    pg.problems = problems
    yield pg
    assert not problems, "\n".join(problems)


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Callable[..., Path]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name)
    counter = {"n": 0}

    def shot(page: object, step: str, full_page: bool = True) -> Path:
        counter["n"] += 1
        path = SCREENSHOTS / f"{name}-{counter['n']:02d}-{step}.png"
        if full_page:  # sticky headers belong at the top of a whole-page picture
            page.evaluate("window.scrollTo(0, 0)")  # type: ignore[attr-defined]
        page.screenshot(path=str(path), full_page=full_page)  # type: ignore[attr-defined]
        return path

    return shot
