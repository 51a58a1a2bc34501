"""End-to-end fixtures: a real ``woundcare serve`` on a free loopback port with a temporary
data directory (dev profile), the demo clinician its first start prints, and a headless
Debian Chromium driven by Playwright through ``executable_path``.

Every test that uses the ``server`` runs against the embedded SQLite store and, for a
representative subset (:data:`POSTGRES_SUBSET`, or any test marked ``e2e_postgres``), against
PostgreSQL too: a throwaway database as the application role under row-level security, with
a synthetic organisation and clinician made for it. ``WOUNDCARE_E2E_POSTGRES=all`` runs every
test on both stores, ``none`` only on SQLite. Test ids carry the store (``[sqlite]``).

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
# On PostgreSQL by default: one whole case, and the paths where the store matters most
# (versions and conflicts, idempotent retries, new visits, list queries, PIN storage).
POSTGRES_SUBSET = frozenset({
    "test_whole_case_to_done_with_photo_and_pin",
    "test_two_tabs_conflict_keeps_the_second_tabs_input",
    "test_offline_queue_waits_then_catches_up",
    "test_next_visit_carries_the_patient_not_the_consent",
    "test_case_list_filters_pages_and_resumes_at_the_current_step",
    "test_setting_the_pin_needs_the_password_and_then_signing_works",
})


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e_postgres: run this e2e test on PostgreSQL too")


def stores_for(name: str, marked: bool) -> list[str]:
    mode = os.environ.get("WOUNDCARE_E2E_POSTGRES", "subset").strip().lower()
    if mode == "all" or (mode == "subset" and (name in POSTGRES_SUBSET or marked)):
        return ["sqlite", "postgresql"]
    return ["sqlite"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise every test that (directly or through a fixture) uses ``server``."""
    if "server" not in metafunc.fixturenames:
        return
    marked = metafunc.definition.get_closest_marker("e2e_postgres") is not None
    params = [pytest.param(store, marks=[pytest.mark.postgres] if store != "sqlite" else [])
              for store in stores_for(metafunc.function.__name__, marked)]
    metafunc.parametrize("store", params, scope="session")


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
    store: str = "sqlite"
    database_url: str = ""  # PostgreSQL: the application role's URL
    owner_url: str = ""
    extra_env: dict[str, str] = field(default_factory=dict)
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
            "WOUNDCARE_DATABASE_URL": self.database_url,
            "WOUNDCARE_HOST": "127.0.0.1",
            "WOUNDCARE_PORT": str(self.port),
            # Every scenario runs from one address as one demo clinician; keep the per-client
            # and log-in limits (every attempt counts, successes too) out of the way.
            "WOUNDCARE_RATE_LIMIT_PER_MINUTE": "5000",
            "WOUNDCARE_LOGIN_MAX_ATTEMPTS": "1000",
            "WOUNDCARE_LOGIN_MAX_ATTEMPTS_PER_CLIENT": "5000",
            "WOUNDCARE_LOG_JSON": "true",
            "WOUNDCARE_PASSWORD_HASH_FAST": "true",
            **self.extra_env,
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
        if self.starts == 1 and not self.email:
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
        if self.owner_url:
            import sqlalchemy as sa

            engine = sa.create_engine(self.owner_url)
            try:
                with engine.begin() as conn:
                    return conn.execute(sa.text(
                        "UPDATE login_sessions SET revoked_at = last_seen_at "
                        "WHERE revoked_at IS NULL")).rowcount
            finally:
                engine.dispose()
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
def server(tmp_path_factory: pytest.TempPathFactory, store: str,
           request: pytest.FixtureRequest) -> Iterator[Server]:
    with contextlib.ExitStack() as stack:
        srv = Server(tmp_path_factory.mktemp(f"woundcare-e2e-{store}"), store=store)
        if store == "postgresql":
            _on_postgresql(srv, request, stack)
        srv.start()
        try:
            yield srv
        finally:
            srv.stop()
            if os.environ.get("WOUNDCARE_E2E_KEEP") != "1":
                shutil.rmtree(srv.workdir, ignore_errors=True)


def _on_postgresql(srv: Server, request: pytest.FixtureRequest,
                   stack: contextlib.ExitStack) -> None:
    """A throwaway database (migrated, RLS on) and a synthetic organisation with one clinician
    made with the server's own keys, since the demo bootstrap is for SQLite only."""
    import base64

    from tests.api.conftest import PIN, make_organisation
    from tests.pg_harness import throwaway_database
    from woundcare.config import Settings
    from woundcare.service.runtime import build_runtime
    from woundcare.storage import Database

    pg = stack.enter_context(throwaway_database(request.getfixturevalue("pg_server"),
                                                migrated=True))
    srv.database_url = pg.app_url.render_as_string(hide_password=False)
    srv.owner_url = pg.owner_url.render_as_string(hide_password=False)
    keys = {name: base64.b64encode(os.urandom(32)).decode() for name in (
        "FIELD_ENCRYPTION_KEY", "WOUNDCARE_SEARCH_HMAC_KEY", "WOUNDCARE_PIN_PEPPER",
        "WOUNDCARE_AUDIT_HMAC_KEY")}
    srv.extra_env = {**keys, "FIELD_ENCRYPTION_KEY_VERSION": "e2e1",
                     "WOUNDCARE_MIGRATION_DATABASE_URL": srv.owner_url}
    settings = Settings.model_validate({
        "profile": "dev", "data_dir": srv.data_dir, "database_url": srv.database_url,
        "field_encryption_key": keys["FIELD_ENCRYPTION_KEY"],
        "field_encryption_key_version": "e2e1",
        "search_hmac_key": keys["WOUNDCARE_SEARCH_HMAC_KEY"],
        "pin_pepper": keys["WOUNDCARE_PIN_PEPPER"],
        "audit_hmac_key": keys["WOUNDCARE_AUDIT_HMAC_KEY"], "password_hash_fast": True})
    owner = Database(srv.owner_url)
    runtime = build_runtime(settings)
    try:
        (account,) = make_organisation(runtime, owner, "Synthetic e2e clinic", [
            ("demo@example.test", "org_admin", PIN)])
    finally:
        runtime.db.dispose()
        owner.dispose()
    srv.email, srv.password, srv.pin = account.email, account.password, PIN


@pytest.fixture(scope="package")
def browser(chromium: str) -> Iterator[object]:
    """One Chromium per test package: Playwright's sync API keeps an event loop running in the
    main thread while it is started, so it must stop when the e2e package is done (later
    packages' tests call asyncio themselves)."""
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
