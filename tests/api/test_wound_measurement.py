"""Measuring a wound on a photo through the API, hand entries, PUSH, photos to scale, and a
wound's trend over five visits (on SQLite and on PostgreSQL under RLS)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from uuid import UUID

import numpy as np
import pytest
import sqlalchemy as sa

from tests.api.conftest import Api, World
from tests.api.flows import bio_body, photo_with_exif, upload_photo
from woundcare.imaging.synthetic import synthetic_wound_photo
from woundcare.storage.schema import cases


def to_imaging(api: Api, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = api.post("/api/cases", json=body or {})
    assert response.status_code == 201, response.text
    case = dict(response.json())
    case = api.fire(case, "BEGIN")
    case = api.step(case, "bio", json=bio_body())
    case = api.fire(case, "BIO_CONFIRMED")
    assert case["state"] == "WOUND_IMAGING"
    return case


def photo(area: float, seed: int, tilt: float = 25.0) -> tuple[bytes, list[list[float]], Any]:
    shot, trace = synthetic_wound_photo(seed, area_cm2=area, tilt_deg=tilt, width=1280,
                                        height=960)
    return shot.jpeg(93), trace.tolist(), shot


def measure(api: Api, case: dict[str, Any], artifact: str, outline: list[list[float]],
            expect: int = 200) -> dict[str, Any]:
    return api.step(case, f"photos/{artifact}/measure", expect, json={"outline": outline})


def test_trace_on_a_photo_then_hand_entries(world: World) -> None:
    api = api_for(world)
    case = to_imaging(api)
    data, outline, shot = photo(6.0, seed=21)
    case = upload_photo(api, case, data)
    (ph,) = case["record"]["wound"]["photos"]
    assert ph["quality"]["scale"] == "pass"
    assert ph["scale_reference_present"] is True
    assert ph["cm_per_pixel"] is not None
    artifact = ph["artifact_id"]
    # preview: nothing saved
    preview = api.post(f"/api/session/{case['case_id']}/photos/{artifact}/measure/preview",
                       json={"outline": outline})
    assert preview.status_code == 200, preview.text
    assert preview.json()["area_cm2"] == pytest.approx(6.0, rel=0.03)
    assert api.get(f"/api/session/{case['case_id']}").json()["version"] == case["version"]
    # save
    case = measure(api, case, artifact, outline)
    m = case["record"]["wound"]["measurement"]
    assert m["method"] == "traced_outline"
    assert m["photo_artifact_id"] == artifact
    assert m["area_cm2"] == pytest.approx(6.0, rel=0.03)
    length, width = shot.scene.length_width_cm
    assert m["length_cm"] == pytest.approx(length, rel=0.03)
    assert m["width_cm"] == pytest.approx(width, rel=0.04)
    assert m["length_convention"] == "longest_diameter_and_perpendicular"
    assert len(m["outline"]) == len(outline)
    assert case["push"] is None  # exudate and tissue are not documented yet
    prov = api.get(f"/api/session/{case['case_id']}/provenance").json()["entries"]
    area_entry = [e for e in prov if e["field_path"] == "wound.measurement.area_cm2"]
    assert area_entry
    assert area_entry[-1]["agent"] == "wound_imaging"
    assert area_entry[-1]["source_artifact_id"] == artifact
    # the outline is encrypted at rest; the area is not
    with world.backend.owner.engine.connect() as conn:
        row = conn.execute(sa.select(cases.c.payload, cases.c.encrypted_fields)
                           .where(cases.c.id == UUID(case["case_id"]))).one()
    payload = row.payload if isinstance(row.payload, dict) else json.loads(row.payload)
    secrets = row.encrypted_fields if isinstance(row.encrypted_fields, dict) \
        else json.loads(row.encrypted_fields)
    assert payload["wound"]["measurement"]["outline"] is None
    assert payload["wound"]["measurement"]["area_cm2"] == m["area_cm2"]
    assert "wound.measurement.outline" in secrets
    # hand entries keep the traced size
    case = api.step(case, "imaging", json={
        "wound_type": "pressure_injury", "pressure_injury_stage": "stage_3",
        "aetiology": "Synthetic pressure over the heel",
        "body_site": {"region": "heel", "side": "left", "view": "posterior"},
        "periwound": {"condition": ["macerated", "erythematous"]},
        "manual_measurement": {"depth_cm": 0.4,
                               "undermining": [{"from_clock": 11, "to_clock": 2,
                                                "depth_cm": 0.8}],
                               "tunnelling": [{"clock": 6, "depth_cm": 1.5}]}})
    wound = case["record"]["wound"]
    assert wound["measurement"]["method"] == "traced_outline"
    assert wound["measurement"]["depth_cm"] == 0.4
    assert wound["measurement"]["undermining"][0]["to_clock"] == 2
    assert wound["body_site"] == {"region": "heel", "side": "left", "view": "posterior"}
    assert wound["pressure_injury_stage"] == "stage_3"


def test_bad_outlines_and_values_are_refused_and_change_nothing(world: World) -> None:
    api = api_for(world)
    case = to_imaging(api)
    data, outline, _ = photo(3.0, seed=22, tilt=10)
    case = upload_photo(api, case, data)
    artifact = case["record"]["wound"]["photos"][0]["artifact_id"]
    version = case["version"]
    bowtie = [[100, 100], [400, 400], [400, 100], [100, 300]]
    for bad, code in ((bowtie, "outline_self_intersecting"),
                      ([[1, 1], [5000, 5], [9, 9]], "outline_outside_photo")):
        refused = measure(api, case, artifact, bad, expect=422)
        assert refused["errors"][0]["path"] == "outline"
        assert refused["errors"][0]["code"] == code
    short = api.post(f"/api/session/{case['case_id']}/photos/{artifact}/measure",
                     case["version"], json={"outline": [[1, 1], [2, 2]]})
    assert short.status_code == 422
    for body, path in (
        ({"wound_type": "venous_leg_ulcer", "pressure_injury_stage": "stage_2"}, "wound"),
        ({"body_site": {"region": "tail"}}, "body_site.region"),
        ({"periwound": {"condition": ["intact", "macerated"]}}, "periwound"),
        ({"manual_measurement": {"tunnelling": [{"clock": 13, "depth_cm": 1}]}},
         "manual_measurement.tunnelling.0.clock"),
        ({"manual_measurement": {"ruler_length_cm": 3}}, "manual_measurement"),
    ):
        response = api.post(f"/api/session/{case['case_id']}/imaging", case["version"],
                            json=body)
        assert response.status_code == 422, (body, response.text)
        paths = [e["path"] for e in response.json()["errors"]]
        assert any(p.startswith(path) for p in paths), (body, paths)
    assert api.get(f"/api/session/{case['case_id']}").json()["version"] == version
    # a photo without the marker cannot be measured (ruler entry stays possible)
    case = upload_photo(api, case, photo_with_exif())
    plain = case["record"]["wound"]["photos"][1]
    assert plain["quality"]["scale"] == "unknown"
    refused = measure(api, case, plain["artifact_id"], [[10, 10], [200, 10], [100, 150]],
                      expect=422)
    assert refused["code"] == "marker_not_usable"
    case = api.step(case, "imaging", json={"manual_measurement": {"ruler_length_cm": 4.2,
                                                                   "ruler_width_cm": 2.5}})
    ruler = case["record"]["wound"]["measurement"]
    assert ruler["method"] == "ruler_length_width"
    assert ruler["area_cm2"] is None
    assert ruler["length_convention"] == "as_measured_with_ruler"
    # removing the photo a traced measurement was made on removes the measurement
    case = measure(api, case, artifact, outline)
    case = api.step(case, "imaging", json={"remove_photo": artifact})
    assert case["record"]["wound"]["measurement"] is None


def test_rectified_photo_is_to_scale(world: World) -> None:
    api = api_for(world)
    case = to_imaging(api)
    data, _, _ = photo(5.0, seed=23, tilt=35)
    case = upload_photo(api, case, data)
    artifact = case["record"]["wound"]["photos"][0]["artifact_id"]
    response = api.get(f"/api/session/{case['case_id']}/photos/{artifact}/rectified"
                       "?px_per_cm=20")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    import cv2

    image = cv2.imdecode(np.frombuffer(response.content, np.uint8), cv2.IMREAD_GRAYSCALE)
    ox, oy = (float(v) for v in response.headers["X-Woundcare-Origin-Px"].split(","))
    # the 2 cm marker is 40 x 40 px from the origin; its border is black
    x, y = round(ox), round(oy)
    assert image[y + 2:y + 38, x + 1:x + 5].mean() < 90
    assert image[y + 10:y + 30, x - 12:x - 4].mean() > 150  # the white quiet zone
    too_fine = api.get(f"/api/session/{case['case_id']}/photos/{artifact}/rectified"
                       "?px_per_cm=500")
    assert too_fine.status_code == 422


def test_push_in_the_snapshot_and_the_setting_turns_it_off(world: World) -> None:
    api = api_for(world)
    case = to_imaging(api)
    case = api.step(case, "imaging", json={"manual_measurement": {"ruler_length_cm": 2.0,
                                                                   "ruler_width_cm": 1.05}})
    assert case["push"] is None and case["push_enabled"] is True  # noqa: PT018
    case = api.step(case, "imaging", json={"override_reason":
                                           "Synthetic: no photo at this visit."})
    case = api.fire(case, "IMAGING_CONFIRMED")
    from tests.api.flows import time_body, vitals_body

    case = api.step(case, "vitals", json=vitals_body())
    case = api.fire(case, "VITALS_CAPTURED")
    case = api.step(case, "time", json=time_body())  # moderate exudate, slough present
    push = case["push"]
    assert push == {**push, "area_score": 5, "exudate_score": 2, "tissue_score": 3,
                    "total": 10, "area_cm2_used": 2.1}
    assert "NPIAP" in push["attribution"]
    world.runtime.settings.push_enabled = False
    try:
        off = api.get(f"/api/session/{case['case_id']}").json()
        assert off["push"] is None
        assert off["push_enabled"] is False
    finally:
        world.runtime.settings.push_enabled = True


def api_for(world: World) -> Api:
    from woundcare.api.app import create_app

    api = Api(create_app(world.runtime))
    api.login(world.alice)
    return api


AREAS = (10.0, 8.2, 6.4, 5.1, 4.0)  # one visit a week


def test_wound_trend_over_five_visits(world: World) -> None:
    real_clock = world.runtime.clock
    start = real_clock()
    patient_id = wound_id = None
    truths: list[float] = []
    try:
        for week, area in enumerate(AREAS):
            world.runtime.clock = lambda at=start + timedelta(days=7 * week): at  # type: ignore[misc]
            api = api_for(world)  # a new log-in each week
            body = {} if patient_id is None else {"patient_id": patient_id,
                                                  "wound_id": wound_id}
            case = to_imaging(api, body)
            patient_id = case["record"]["patient_id"]
            wound_id = case["record"]["wound_id"]
            assert patient_id is not None
            data, outline, shot = photo(area, seed=100 + week, tilt=10 + 8 * week)
            truths.append(shot.scene.area_cm2)
            case = upload_photo(api, case, data)
            artifact = case["record"]["wound"]["photos"][0]["artifact_id"]
            case = measure(api, case, artifact, outline)
        history = api.get(f"/api/wounds/{wound_id}/history")
        assert history.status_code == 200, history.text
        body = history.json()
        assert body["patient_id"] == patient_id
        points = body["points"]
        assert len(points) == 5
        assert [p["visit_number"] for p in points] == [1, 2, 3, 4, 5]
        measured = [p["area_cm2"] for p in points]
        for got, truth in zip(measured, truths, strict=True):
            assert got == pytest.approx(truth, rel=0.03)
        expected_drop = (measured[0] - measured[-1]) / measured[0] * 100
        summary = body["summary"]
        assert summary["measured_visits"] == 5
        assert summary["area_basis"] == "traced_outline"
        assert summary["reduction_from_baseline_pct"] == pytest.approx(expected_drop, abs=0.1)
        assert expected_drop == pytest.approx(60, abs=3)
        assert summary["days_since_baseline"] == pytest.approx(28, abs=0.1)
        assert summary["change_per_week_cm2"] == pytest.approx(measured[-1] - measured[-2],
                                                               abs=0.01)
        assert points[0]["reduction_from_previous_pct"] is None
        assert points[2]["reduction_from_previous_pct"] == pytest.approx(
            (measured[1] - measured[2]) / measured[1] * 100, abs=0.1)
        # the patient's timeline and the patient list
        visits = api.get(f"/api/patients/{patient_id}/visits").json()
        assert [v["wound_id"] for v in visits["visits"]] == [wound_id] * 5
        assert visits["wounds"][0]["visits"] == 5
        listed = api.get("/api/patients").json()
        (entry,) = [p for p in listed["items"] if p["patient_id"] == patient_id]
        assert entry["visits"] == 5
        assert entry["wounds"] == 1
        assert entry["label"] is not None
        # a colleague sees the identity exists but none of the visits ...
        bob = Api(api.http.app)
        bob.login(world.bob)
        assert bob.get(f"/api/wounds/{wound_id}/history").status_code == 404
        assert bob.get(f"/api/patients/{patient_id}/visits").status_code == 404
        # ... and may start a visit of the same wound: then sees only that one
        created = bob.post("/api/cases", json={"patient_id": patient_id, "wound_id": wound_id})
        assert created.status_code == 201, created.text
        assert len(bob.get(f"/api/wounds/{wound_id}/history").json()["points"]) == 1
        # another organisation cannot refer to the patient at all
        mallory = Api(api.http.app)
        mallory.login(world.mallory)
        refused = mallory.post("/api/cases", json={"patient_id": patient_id})
        assert refused.status_code == 404
        assert refused.json()["code"] == "patient_not_found"
        assert mallory.get(f"/api/wounds/{wound_id}/history").status_code == 404
        # a new wound of the same patient, and a wound paired with the wrong patient
        other = api.post("/api/cases", json={"patient_id": patient_id}).json()
        assert other["record"]["wound_id"] not in (None, wound_id)
        mismatch = api.post("/api/cases", json={"patient_id": other["record"]["patient_id"],
                                                "wound_id": str(world.alice.clinician_id)})
        assert mismatch.status_code == 404
    finally:
        world.runtime.clock = real_clock
