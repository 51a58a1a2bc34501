"""Consent withdrawal after export destroys the case's data key once the grace period is
over: the record becomes a tombstone, nothing sensitive decrypts, files are gone, the
deliveries already made are listed, and the provenance chain still verifies."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from tests.api.conftest import Api, World, build_world
from tests.api.flows import PHI, run_whole_case
from woundcare.api.app import create_app
from woundcare.crypto.envelope import DecryptionError, WrappedKey, decrypt_field, unwrap_data_key
from woundcare.crypto.errors import UnknownKeyVersion
from woundcare.service.delivery import DeliveryWorker
from woundcare.service.runtime import build_runtime
from woundcare.service.shredding import run_due
from woundcare.storage.integrity import verify_case_provenance
from woundcare.storage.schema import cases, shred_requests


def operator(world: World) -> Any:
    return build_runtime(world.runtime.settings, db=world.backend.owner,
                         keys=world.runtime.keys, blobs=world.runtime.blobs)


def withdrawn(api: Api, case: dict[str, Any]) -> dict[str, Any]:
    return api.step(case, "consent", json={"data_storage": "declined"})


def test_shredding_after_the_grace_period(tmp_path: Path, backend: Any) -> None:
    world = build_world(tmp_path, backend, shred_grace_days=0)
    api = Api(create_app(world.runtime))
    api.login(world.alice)
    case = run_whole_case(api)
    case_id = case["case_id"]
    photo_id = case["record"]["wound"]["photos"][0]["artifact_id"]
    DeliveryWorker(operator(world)).run_until_idle()  # report rendered, PDF dropped
    assert api.get(f"/api/session/{case_id}/export/report.pdf").status_code == 200

    refused = api.post(f"/api/session/{case_id}/export/shred-request",
                       json={"reason_code": "consent_withdrawn"})
    assert refused.status_code == 422
    assert refused.json()["code"] == "consent_not_withdrawn"
    case = withdrawn(api, case)
    bad = api.post(f"/api/session/{case_id}/export/shred-request",
                   json={"reason_code": "because"})
    assert bad.status_code == 422
    asked = api.post(f"/api/session/{case_id}/export/shred-request",
                     json={"reason_code": "consent_withdrawn"})
    assert asked.status_code == 202, asked.text
    follow_up = asked.json()["deliveries_to_follow_up"]
    assert [d["kind"] for d in follow_up] == ["report_drop"]

    with world.backend.owner.engine.connect() as conn:
        before = conn.execute(sa.select(cases).where(cases.c.id == UUID(case_id))).one()
    tokens: dict[str, str] = dict(before.encrypted_fields)
    assert tokens  # the sensitive fields were encrypted
    done = run_due(operator(world))
    assert [str(r.case_id) for r in done] == [case_id]
    assert [d["kind"] for d in done[0].deliveries] == ["report_drop"]

    with world.backend.owner.engine.connect() as conn:
        after = conn.execute(sa.select(cases).where(cases.c.id == UUID(case_id))).one()
        request = conn.execute(sa.select(shred_requests)).one()
    assert after.encrypted_fields == {}
    assert after.wrapped_dek == ""
    assert after.key_version == "shredded"
    assert after.mrn_hash is None
    assert request.shredded_at is not None
    text = str(after.payload)
    for marker in PHI.values():
        assert marker not in text
    # the old wrapped key can no longer be had, and without it nothing decrypts; with the
    # old wrapped key gone, even the ring's KEK cannot help
    keyring = world.runtime.keys.keyring
    with pytest.raises((DecryptionError, UnknownKeyVersion)):
        unwrap_data_key(keyring, UUID(case_id), WrappedKey(after.key_version, after.wrapped_dek))
    assert before.wrapped_dek not in str(after._mapping)
    for path, token in tokens.items():
        with pytest.raises(DecryptionError):
            decrypt_field(b"\x00" * 32, UUID(case_id), path, token)
    # the API: a tombstone snapshot, files and hand-off gone, provenance intact
    snapshot = api.get(f"/api/session/{case_id}").json()
    assert snapshot["record"]["patient"]["last_name"] is None
    assert snapshot["record"]["export"] is None
    assert api.get(f"/api/session/{case_id}/artifacts/{photo_id}").status_code in (404, 410)
    assert api.get(f"/api/session/{case_id}/export/fhir").status_code in (409, 410)
    assert api.get(f"/api/session/{case_id}/export/report.pdf").status_code in (409, 410)
    report = verify_case_provenance(world.backend.owner.engine, UUID(case_id))
    assert report.ok, report.problems
    assert api.get(f"/api/session/{case_id}/provenance/verify").json()["ok"] is True
    listed = api.get("/api/cases").json()
    assert case_id in {item["case_id"] for item in listed["items"]}


def test_nothing_happens_before_the_grace_period_ends(tmp_path: Path, backend: Any) -> None:
    world = build_world(tmp_path, backend, shred_grace_days=7)
    api = Api(create_app(world.runtime))
    api.login(world.alice)
    case = withdrawn(api, run_whole_case(api))
    assert api.post(f"/api/session/{case['case_id']}/export/shred-request",
                    json={"reason_code": "patient_request"}).status_code == 202
    assert run_due(operator(world)) == []
    assert api.get(f"/api/session/{case['case_id']}").json()["record"]["patient"][
        "last_name"] == PHI["last_name"]
    assert api.http.delete(f"/api/session/{case['case_id']}/export/shred-request",
                           headers=api.headers()).status_code == 204
