"""A wound's history across visits: its size at each visit and plain arithmetic on it (change
from the first measured visit and from the previous one, change per week). Facts only: the
figures describe what was measured and predict nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from woundcare.domain.enums import WoundMeasurementMethod
from woundcare.domain.push import compute_push
from woundcare.domain.record import CaseRecord

_DAYS_PER_WEEK = 7.0


def _area_used(record: CaseRecord) -> tuple[float | None, str | None]:
    """The traced area, or length x width for a ruler-only visit (with which it was)."""
    m = record.wound.measurement
    if m is None:
        return None, None
    if m.method is WoundMeasurementMethod.TRACED_OUTLINE and m.area_cm2 is not None:
        return m.area_cm2, m.method.value
    product = m.length_times_width()
    return (product, m.method.value) if product is not None else (None, None)


def _when(record: CaseRecord) -> datetime:
    m = record.wound.measurement
    return m.measured_at if m is not None and m.measured_at is not None else record.created_at


def _pct(before: float, after: float) -> float | None:
    if before <= 0:
        return None
    return round((before - after) / before * 100, 1)


def wound_history(records: Sequence[CaseRecord], *, push_enabled: bool = True
                  ) -> dict[str, Any]:
    """Points (oldest first) and a summary for the visits of one wound."""
    ordered = sorted(records, key=lambda r: (r.created_at, r.visit_number))
    points: list[dict[str, Any]] = []
    baseline: tuple[CaseRecord, float, datetime] | None = None
    previous: tuple[float, datetime] | None = None
    methods: set[str] = set()
    for record in ordered:
        m = record.wound.measurement
        area, method = _area_used(record)
        at = _when(record)
        push = compute_push(record) if push_enabled else None
        point: dict[str, Any] = {
            "case_id": str(record.case_id), "visit_number": record.visit_number,
            "at": at.isoformat(), "method": None if m is None else m.method.value,
            "area_cm2": None if m is None else m.area_cm2,
            "length_cm": None if m is None else m.length_cm,
            "width_cm": None if m is None else m.width_cm,
            "length_x_width_cm2": None if m is None or m.length_times_width() is None
            else round(m.length_times_width() or 0.0, 3),
            "depth_cm": None if m is None else m.depth_cm,
            "photo_artifact_id": None if m is None or m.photo_artifact_id is None
            else str(m.photo_artifact_id),
            "cm_per_pixel": None if m is None else m.cm_per_pixel,
            "push": None if push is None else push.model_dump(mode="json"),
            "area_used_cm2": None if area is None else round(area, 3),
            "reduction_from_baseline_pct": None, "reduction_from_previous_pct": None,
            "change_per_week_cm2": None, "days_since_baseline": None,
        }
        if area is not None and method is not None:
            methods.add(method)
            if baseline is None:
                baseline = (record, area, at)
            point["reduction_from_baseline_pct"] = _pct(baseline[1], area)
            point["days_since_baseline"] = round((at - baseline[2]).total_seconds() / 86400, 1)
            if previous is not None:
                point["reduction_from_previous_pct"] = _pct(previous[0], area)
                days = (at - previous[1]).total_seconds() / 86400
                if days >= 1:  # a rate over hours would be noise, not a fact worth showing
                    point["change_per_week_cm2"] = round(
                        (area - previous[0]) / days * _DAYS_PER_WEEK, 3)
            previous = (area, at)
        points.append(point)
    measured = [p for p in points if p["area_used_cm2"] is not None]
    latest = measured[-1] if measured else None
    summary: dict[str, Any] = {
        "baseline_case_id": None if baseline is None else str(baseline[0].case_id),
        "baseline_area_cm2": None if baseline is None else round(baseline[1], 3),
        "latest_area_cm2": None if latest is None else latest["area_used_cm2"],
        "reduction_from_baseline_pct": None if latest is None
        else latest["reduction_from_baseline_pct"],
        "reduction_from_previous_pct": None if latest is None
        else latest["reduction_from_previous_pct"],
        "change_per_week_cm2": None if latest is None else latest["change_per_week_cm2"],
        "days_since_baseline": None if latest is None else latest["days_since_baseline"],
        "measured_visits": len(measured),
        "area_basis": None if not methods else (methods.pop() if len(methods) == 1
                                                else "mixed"),
    }
    return {"points": points, "summary": summary}
