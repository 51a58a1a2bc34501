"""PUSH 3.0 at every area band edge and its other parts; record rules for the measurement and
wound documentation; a wound's history arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from woundcare.domain.enums import ExudateLevel
from woundcare.domain.push import ATTRIBUTION, area_score, compute_push
from woundcare.domain.record import CaseRecord, WoundMeasurement
from woundcare.domain.sensitive import is_sensitive
from woundcare.domain.trend import wound_history

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

# (length x width, score): every band's edges, the rounding to 0.1 at each edge, and
# 2.0 -> 4 but 2.1 -> 5 (one open-source implementation puts that edge at 2.2).
EDGES = [
    (0.0, 0), (0.04, 0), (0.05, 1), (0.1, 1), (0.2, 1), (0.24, 1), (0.25, 2), (0.3, 2),
    (0.6, 2), (0.64, 2), (0.65, 3), (0.7, 3), (1.0, 3), (1.04, 3), (1.05, 4), (1.1, 4),
    (2.0, 4), (2.04, 4), (2.05, 5), (2.1, 5), (2.2, 5), (3.0, 5), (3.04, 5), (3.05, 6),
    (3.1, 6), (4.0, 6), (4.05, 7), (4.1, 7), (8.0, 7), (8.05, 8), (8.1, 8), (12.0, 8),
    (12.05, 9), (12.1, 9), (24.0, 9), (24.04, 9), (24.05, 10), (24.1, 10), (500.0, 10),
]


@pytest.mark.parametrize(("area", "score"), EDGES)
def test_area_bands_at_every_edge(area: float, score: int) -> None:
    assert area_score(area) == score


def record(length: float | None = 2.0, width: float | None = 1.0,
           exudate: ExudateLevel | None = ExudateLevel.SCANT,
           tissue: dict[str, float] | None = None, **extra: Any) -> CaseRecord:
    data: dict[str, Any] = {
        "case_id": str(uuid4()), "organisation_id": str(uuid4()), "owner_id": str(uuid4()),
        "created_at": NOW.isoformat(), "updated_at": NOW.isoformat(),
        "time_assessment": {"tissue": tissue if tissue is not None else
                            {"granulation_pct": 80, "epithelial_pct": 20},
                            "moisture": {"exudate_level": None if exudate is None
                                         else exudate.value}},
        "wound": {"measurement": None if length is None else {
            "method": "ruler_length_width", "length_cm": length, "width_cm": width}},
        **extra,
    }
    return CaseRecord.model_validate(data)


def test_push_total_from_the_record() -> None:
    score = compute_push(record(2.0, 1.05, ExudateLevel.HEAVY,
                                {"granulation_pct": 50, "necrotic_pct": 10}))
    assert score is not None
    assert (score.area_score, score.exudate_score, score.tissue_score) == (5, 3, 4)
    assert score.total == 12
    assert score.area_cm2_used == 2.1
    assert score.attribution == ATTRIBUTION
    assert "NPIAP" in ATTRIBUTION


@pytest.mark.parametrize(("exudate", "points"), [
    (ExudateLevel.NONE, 0), (ExudateLevel.SCANT, 1), (ExudateLevel.MODERATE, 2),
    (ExudateLevel.HEAVY, 3)])
def test_exudate_points(exudate: ExudateLevel, points: int) -> None:
    score = compute_push(record(exudate=exudate))
    assert score is not None
    assert score.exudate_score == points


@pytest.mark.parametrize(("tissue", "points"), [
    ({"epithelial_pct": 100}, 1), ({"granulation_pct": 90, "epithelial_pct": 10}, 2),
    ({"granulation_pct": 50, "slough_pct": 50}, 3),
    ({"slough_pct": 70, "necrotic_pct": 30}, 4)])
def test_tissue_is_the_worst_type_present(tissue: dict[str, float], points: int) -> None:
    score = compute_push(record(tissue=tissue))
    assert score is not None
    assert score.tissue_score == points


def test_push_needs_size_exudate_and_tissue() -> None:
    assert compute_push(record(length=None)) is None
    assert compute_push(record(exudate=None)) is None
    assert compute_push(record(exudate=ExudateLevel.UNKNOWN)) is None
    assert compute_push(record(tissue={})) is None


def test_traced_measurement_needs_its_parts_and_width_not_above_length() -> None:
    with pytest.raises(ValidationError, match=r"traced_incomplete|needs its photo"):
        WoundMeasurement.model_validate({"method": "traced_outline", "area_cm2": 3})
    with pytest.raises(ValidationError, match="cannot exceed"):
        WoundMeasurement.model_validate({
            "method": "traced_outline", "photo_artifact_id": str(uuid4()),
            "outline": [[0, 0], [1, 0], [1, 1]], "area_cm2": 1, "length_cm": 1,
            "width_cm": 2})
    with pytest.raises(ValidationError, match="length and width only"):
        WoundMeasurement.model_validate({"method": "ruler_length_width", "length_cm": 3,
                                         "width_cm": 2, "area_cm2": 6})
    with pytest.raises(ValidationError):
        WoundMeasurement.model_validate({"method": "ruler_length_width",
                                         "undermining": [{"from_clock": 0, "to_clock": 3,
                                                          "depth_cm": 1}]})


def test_the_traced_photo_must_be_on_the_record() -> None:
    with pytest.raises(ValidationError, match="not on the record"):
        record(length=None, wound={"measurement": {
            "method": "traced_outline", "photo_artifact_id": str(uuid4()),
            "outline": [[0, 0], [1, 0], [1, 1]], "area_cm2": 0.5, "length_cm": 1.4,
            "width_cm": 0.7}})


def test_outline_and_aetiology_are_sensitive() -> None:
    assert is_sensitive("wound.measurement.outline")
    assert is_sensitive("wound.aetiology")
    assert not is_sensitive("wound.measurement.area_cm2")


def visit(number: int, days: float, length: float | None, width: float | None,
          traced_area: float | None = None) -> CaseRecord:
    at = NOW + timedelta(days=days)
    r = record(length, width)
    measurement = None
    if r.wound.measurement is not None:
        m = r.wound.measurement.model_dump(mode="json")
        m["measured_at"] = at.isoformat()
        measurement = m
    data = r.model_dump(mode="json")
    data.update(visit_number=number, created_at=at.isoformat())
    data["wound"]["measurement"] = measurement
    if traced_area is not None and measurement is not None:
        artifact = str(uuid4())
        data["artifacts"] = [{"artifact_id": artifact, "kind": "image",
                              "media_type": "image/jpeg", "size_bytes": 10,
                              "sha256": "a" * 64, "created_at": at.isoformat(),
                              "created_by": str(uuid4())}]
        data["wound"]["photos"] = [{"artifact_id": artifact}]
        measurement.update(method="traced_outline", photo_artifact_id=artifact,
                           outline=[[0, 0], [1, 0], [1, 1]], area_cm2=traced_area,
                           length_convention="longest_diameter_and_perpendicular")
    return CaseRecord.model_validate(data)


def test_history_arithmetic_is_plain_and_skips_unmeasured_visits() -> None:
    history = wound_history([
        visit(1, 0, 4, 2.5, traced_area=8.0),
        visit(2, 7, None, None),
        visit(3, 14, 3, 2, traced_area=6.0),
        visit(4, 21, 3, 1.5),  # ruler only: length x width 4.5
    ])
    points, summary = history["points"], history["summary"]
    assert [p["area_used_cm2"] for p in points] == [8.0, None, 6.0, 4.5]
    assert points[1]["reduction_from_baseline_pct"] is None
    assert points[2]["reduction_from_baseline_pct"] == 25.0
    assert points[2]["reduction_from_previous_pct"] == 25.0
    assert points[2]["change_per_week_cm2"] == -1.0  # 2 cm2 over two weeks
    assert points[3]["reduction_from_previous_pct"] == 25.0
    assert summary["reduction_from_baseline_pct"] == pytest.approx(43.8, abs=0.05)
    assert summary["days_since_baseline"] == 21
    assert summary["area_basis"] == "mixed"
    assert summary["measured_visits"] == 3
    growing = wound_history([visit(1, 0, 2, 1, traced_area=1.6),
                             visit(2, 3.5, 2, 1.5, traced_area=2.4)])["summary"]
    assert growing["reduction_from_baseline_pct"] == -50.0  # negative: it got larger
    assert growing["change_per_week_cm2"] == pytest.approx(1.6)
