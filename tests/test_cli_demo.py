"""The command line: the record's JSON Schema, and the demo walking a synthetic case to DONE."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from woundcare.cli import app
from woundcare.domain.enums import WorkflowState
from woundcare.domain.record import CaseRecord

RUNNER = CliRunner()


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
