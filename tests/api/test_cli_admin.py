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
    assert "already exists" in _refused(invite)
    assert "administrator" in _refused(["set-role", "boss@example.test", "clinician",
                                        "--as", "boss@example.test"])
    assert "No such case" in _refused(["delegate", "00000000-0000-4000-8000-000000000001",
                                       "carol@example.test", "--as", "boss@example.test"])
