"""The command line: the record's JSON Schema, and the demo walking a synthetic case to DONE."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from woundcare.cli import app
from woundcare.config import get_settings
from woundcare.domain.enums import WorkflowState
from woundcare.domain.record import CaseRecord

RUNNER = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The demo's embedded store lives in a temporary data dir, never in the checkout."""
    for name in ("WOUNDCARE_DATABASE_URL", "WOUNDCARE_MIGRATION_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WOUNDCARE_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_schema_prints_the_record_json_schema() -> None:
    result = RUNNER.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema["type"] == "object"
    assert schema["title"] == "CaseRecord"
    assert set(schema["properties"]) == set(CaseRecord.model_fields)
    for name in ("case_id", "patient", "consent", "wound", "vitals", "time_assessment",
                 "follow_ups", "artifacts", "pin_linkage", "state", "status"):
        assert name in schema["properties"]
    assert set(schema["required"]) == {"case_id", "organisation_id", "owner_id", "created_at",
                                       "updated_at"}
    assert schema["additionalProperties"] is False
    states = schema["$defs"]["WorkflowState"]["enum"]
    assert states == [s.value for s in WorkflowState]


def test_demo_reaches_done_and_shows_blockers_and_timeline() -> None:
    result = RUNNER.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    out = result.output
    # Each state is visited in order.
    positions = [out.index(f"[{s.value}]") for s in WorkflowState if s is not WorkflowState.DONE]
    assert positions == sorted(positions)
    # Blockers are shown with their codes and where to clear them.
    assert "BIO_CONFIRMED blocked:" in out
    assert "[consent.data_storage.missing]" in out
    assert "[photos.missing]" in out or "[photos.quality]" in out
    assert re.search(r"\[pin\.linkage\.missing\].*\(at sign_with_pin\)", out)
    # Refusals are reported and the walk continues.
    assert "wrong PIN refused" in out
    assert "refused" in out
    assert "temperature" in out.lower()
    # The timeline with an intact chain, and the final state.
    match = re.search(r"Timeline \((\d+) provenance entries, hash chain intact\)", out)
    assert match
    assert int(match.group(1)) > 20
    for state in ("BIO_INTAKE", "WOUND_IMAGING", "VITALS", "STORE_SYNC"):
        assert re.search(rf"^  {state}\s+\d+ change\(s\)", out, re.MULTILINE)
    assert "Final state DONE, status locked." in out
    # Synthetic data only; the PIN is never printed.
    assert "246810" not in out


def test_no_command_shows_help() -> None:
    result = RUNNER.invoke(app, [])
    assert "schema" in result.output
    assert "demo" in result.output


def test_the_demo_persists_each_step_and_resumes_where_it_stopped(data_dir: Path) -> None:
    first = RUNNER.invoke(app, ["demo", "--stop-after", "VITALS"])
    assert first.exit_code == 0, first.output + repr(first.exception)
    assert "Stopped at VITALS" in first.output
    assert "[TIME]" not in first.output
    database = data_dir / "woundcare.db"
    assert database.exists()
    stored = database.read_bytes()
    assert b"McTestface" not in stored
    assert b"ZZTEST-0001" not in stored

    resumed = RUNNER.invoke(app, ["demo", "--resume"])
    assert resumed.exit_code == 0, resumed.output + repr(resumed.exception)
    out = resumed.output
    assert re.search(r"Resuming case [0-9a-f-]{36} at VITALS", out)
    assert "[BIO_INTAKE]" not in out
    assert "[VITALS]" in out
    assert "Final state DONE, status locked." in out
    assert "hash chain intact" in out

    again = RUNNER.invoke(app, ["demo", "--resume"])
    assert "No unfinished demo case to resume" in again.output


def test_the_in_memory_demo_keeps_nothing(data_dir: Path) -> None:
    result = RUNNER.invoke(app, ["demo", "--in-memory"])
    assert result.exit_code == 0, result.output
    assert "Final state DONE" in result.output
    assert not (data_dir / "woundcare.db").exists()


def test_an_unknown_stop_state_is_refused() -> None:
    result = RUNNER.invoke(app, ["demo", "--stop-after", "NOWHERE"])
    assert result.exit_code != 0
    assert "not a workflow state" in result.output


def test_demo_measures_its_wound_beside_the_marker_and_ends_with_the_case_id() -> None:
    result = RUNNER.invoke(app, ["demo", "--in-memory"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    out = result.output
    assert "scale: found" in out
    match = re.search(r"area (\d+\.\d+) cm² \(drawn: (\d+\.\d+) cm²\)", out)
    assert match, out
    assert float(match.group(1)) == pytest.approx(float(match.group(2)), rel=0.03)
    assert "PUSH 3.0 total" in out
    assert "NPIAP" in out
    last = out.strip().splitlines()[-1]
    assert re.fullmatch(r"case: [0-9a-f-]{36}", last), last
