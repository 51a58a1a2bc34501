"""GET /api/session/{id}/export/fhir: authorised and audited like a snapshot read; the CLI
writes the same signed bundle and `export verify` checks it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from tests.api.conftest import Api, World
from tests.api.flows import run_whole_case, walk_to_signing
from woundcare.service.cases import CaseService
from woundcare.service.export import ExportService
from woundcare.storage.schema import audit_events

RUNNER = CliRunner()


def test_fhir_bundle_of_an_exported_case(api: Api, world: World, app: Any,
                                         tmp_path: Path) -> None:
    case = run_whole_case(api)
    response = api.get(f"/api/session/{case['case_id']}/export/fhir")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "transaction"
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "Encounter", "Condition", "Observation", "Media", "Consent",
            "Provenance"} <= kinds
    media = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Media"]
    assert media[0]["content"]["data"]  # the photo travels with the bundle
    verified = ExportService(CaseService(world.runtime)).verify(bundle)
    assert verified.kid.startswith(case["organisation_id"])
    with world.backend.owner.engine.connect() as conn:
        actions = conn.execute(sa.select(audit_events.c.action, audit_events.c.outcome).where(
            audit_events.c.case_id == UUID(case["case_id"]),
            audit_events.c.action == "export.fhir")).all()
    assert [tuple(a) for a in actions] == [("export.fhir", "success")]

    other = Api(app)
    other.login(world.mallory)
    assert other.get(f"/api/session/{case['case_id']}/export/fhir").status_code == 404


def test_not_exported_yet_is_409(api: Api) -> None:
    case = walk_to_signing(api)
    response = api.get(f"/api/session/{case['case_id']}/export/fhir")
    assert response.status_code == 409
    assert response.json()["code"] == "not_exported"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_cli_fhir_and_verify(api: Api, world: World, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    from woundcare.commands import export
    from woundcare.config import get_settings

    case = run_whole_case(api)
    settings = world.runtime.settings
    monkeypatch.setenv("WOUNDCARE_DATABASE_URL", world.backend.url)
    monkeypatch.setenv("WOUNDCARE_DATA_DIR", str(settings.data_dir))
    for name in ("FIELD_ENCRYPTION_KEY", "WOUNDCARE_SEARCH_HMAC_KEY", "WOUNDCARE_PIN_PEPPER",
                 "WOUNDCARE_AUDIT_HMAC_KEY"):
        attr = {"FIELD_ENCRYPTION_KEY": "field_encryption_key"}.get(
            name, name.removeprefix("WOUNDCARE_").lower())
        monkeypatch.setenv(name, getattr(settings, attr).get_secret_value())
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY_VERSION", settings.field_encryption_key_version)
    get_settings.cache_clear()
    try:
        out = tmp_path / "bundle.json"
        result = RUNNER.invoke(export.app, ["fhir", case["case_id"], "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert RUNNER.invoke(export.app, ["verify", str(out)]).exit_code == 0
        bundle = json.loads(out.read_text())
        bundle["entry"][2]["resource"]["birthDate"] = "1970-01-01"
        out.write_text(json.dumps(bundle))
        tampered = RUNNER.invoke(export.app, ["verify", str(out)])
        assert tampered.exit_code == 1
        assert "INVALID" in tampered.output
    finally:
        get_settings.cache_clear()
