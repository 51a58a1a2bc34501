"""`woundcare admin`: a refusal by the service is one line on standard error and a non-zero
exit status, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from woundcare.commands import admin, db
from woundcare.config import get_settings

RUNNER = CliRunner()


@pytest.fixture
def embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WOUNDCARE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WOUNDCARE_PASSWORD_HASH_FAST", "true")
    monkeypatch.delenv("WOUNDCARE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    assert RUNNER.invoke(db.app, ["upgrade"]).exit_code == 0
    yield tmp_path
    get_settings.cache_clear()


def _refused(args: list[str]) -> str:
    result = RUNNER.invoke(admin.app, args)
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                     SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("refused: ")
    return lines[0]


def test_refusals_are_one_clean_line(embedded: Path) -> None:
    created = RUNNER.invoke(admin.app, ["create-org", "Synthetic Clinic",
                                  "--admin-email", "boss@example.test",
                                  "--admin-name", "Synthetic Boss"])
    assert created.exit_code == 0, created.output
    again = ["create-org", "Other Clinic", "--admin-email", "boss@example.test",
             "--admin-name", "Synthetic Boss"]
    assert "already exists" in _refused(again)
    invite = ["invite", "carol@example.test", "Synthetic Carol",
              "--as", "boss@example.test"]
    assert RUNNER.invoke(admin.app, invite).exit_code == 0
    assert "cannot be used" in _refused(invite)
    assert "administrator" in _refused(["set-role", "boss@example.test", "clinician",
                                        "--as", "boss@example.test"])
    assert "No such case" in _refused(["delegate", "00000000-0000-4000-8000-000000000001",
                                       "carol@example.test", "--as", "boss@example.test"])


def test_revoke_sessions_logs_a_clinician_out_everywhere(embedded: Path) -> None:
    from fastapi.testclient import TestClient

    from woundcare.api.app import create_app
    from woundcare.service.runtime import build_runtime

    created = RUNNER.invoke(admin.app, ["create-org", "Synthetic Clinic",
                                        "--admin-email", "boss@example.test",
                                        "--admin-name", "Synthetic Boss"])
    assert created.exit_code == 0, created.output
    invited = RUNNER.invoke(admin.app, ["invite", "dora@example.test", "Synthetic Dora",
                                        "--as", "boss@example.test"])
    password = invited.output.split("password", 1)[1].split()[0]
    client = TestClient(create_app(build_runtime(get_settings())),
                        base_url="https://testserver")
    tokens = [client.post("/api/auth/token", json={"email": "dora@example.test",
                                                   "password": password}).json()["access_token"]
              for _ in range(2)]
    for token in tokens:
        assert client.get("/api/auth/me",
                          headers={"Authorization": f"Bearer {token}"}).status_code == 200
    revoked = RUNNER.invoke(admin.app, ["revoke-sessions", "dora@example.test",
                                        "--as", "boss@example.test"])
    assert revoked.exit_code == 0, revoked.output
    assert "2 session(s) revoked" in revoked.output
    for token in tokens:
        assert client.get("/api/auth/me",
                          headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "no clinician" in RUNNER.invoke(
        admin.app, ["revoke-sessions", "nobody@example.test", "--as", "boss@example.test"]
    ).output
