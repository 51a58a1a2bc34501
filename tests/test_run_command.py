"""The README's run command, end to end: ``./scripts/run.sh --port N`` serves (options go to
the default command), its start-up lines have no unfilled placeholders, and a busy port is
refused in plain words with a hint."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WOUNDCARE_")}
    env.update({"WOUNDCARE_PROFILE": "dev", "WOUNDCARE_DATA_DIR": str(tmp_path / "data"),
                "WOUNDCARE_HOST": "127.0.0.1", "WOUNDCARE_PASSWORD_HASH_FAST": "true",
                "WOUNDCARE_LOG_JSON": "true"})
    return env


@pytest.fixture
def running(tmp_path: Path) -> object:
    port = _free_port()
    out = (tmp_path / "out").open("wb")
    err = (tmp_path / "err").open("wb")
    proc = subprocess.Popen(["bash", str(ROOT / "scripts" / "run.sh"), "--port", str(port)],
                            cwd=ROOT, env=_env(tmp_path), stdout=out, stderr=err)
    try:
        deadline = time.monotonic() + 180  # a first run installs the locked dependencies
        while time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "err").read_text()
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            time.sleep(0.2)
        else:
            pytest.fail("run.sh --port did not serve:\n" + (tmp_path / "err").read_text())
        yield port, tmp_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def test_run_sh_with_options_serves_and_logs_start_up_without_placeholders(
    running: tuple[int, Path]
) -> None:
    port, tmp_path = running
    time.sleep(0.5)  # uvicorn's "running on" line comes just after the health check answers
    lines = [json.loads(line) for line in (tmp_path / "err").read_text().splitlines()
             if line.startswith("{")]
    assert lines
    for line in lines:
        assert "%s" not in line["event"], line
        assert "%d" not in line["event"], line
    listening = [line for line in lines if line["event"] == "server.listening"]
    assert listening
    assert listening[0]["port"] == port
    assert listening[0]["listen"] == f"http://127.0.0.1:{port}"


def test_a_busy_port_is_refused_in_plain_words_with_a_hint(running: tuple[int, Path],
                                                           tmp_path: Path) -> None:
    port, _ = running
    done = subprocess.run(["bash", str(ROOT / "scripts" / "run.sh"), "--port", str(port)],
                          cwd=ROOT, env=_env(tmp_path / "second"), capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert f"127.0.0.1:{port}" in done.stderr
    assert "already in use" in done.stderr
    assert f"--port {port + 1}" in done.stderr
    assert "[redacted]" not in done.stderr
    assert not any(line.startswith("{") and "error" in line for line in done.stderr.splitlines())


def test_a_setting_that_cannot_be_read_is_named_in_plain_words_without_its_value(
        tmp_path: Path) -> None:
    env = {**_env(tmp_path), "WOUNDCARE_REQUEST_THREADS": "0",
           "WOUNDCARE_RATE_LIMIT_PER_MINUTE": "sample-not-a-number"}
    done = subprocess.run(["bash", str(ROOT / "scripts" / "run.sh"), "--port",
                           str(_free_port())], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "WOUNDCARE_REQUEST_THREADS: Input should be greater than or equal to 1" in done.stderr
    assert "WOUNDCARE_RATE_LIMIT_PER_MINUTE:" in done.stderr
    assert "sample-not-a-number" not in done.stderr + done.stdout  # the value is not repeated
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").iterdir())
