"""Review shows every recorded field: the snapshot's ``review_fields`` lists every recorded
value, and the console's record view renders the fields the issue found missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.factories import complete_record, patch
from woundcare.agents.review import REVIEW_SECTIONS, review_fields
from woundcare.domain.enums import WorkflowState

RECORD_VIEW = (Path(__file__).resolve().parents[2] / "src" / "woundcare" / "console" / "static"
               / "js" / "panels" / "record-view.js")
ONCE_MISSING = {
    "time_assessment.infection.erythema_extent_cm": 3.5,
    "time_assessment.infection.pain_descriptors": ["burning", "throbbing"],
    "time_assessment.moisture.exudate_consistency": "purulent",
    "time_assessment.edge.epibole": "present",
    "time_assessment.edge.undermining_depth_cm": 1.5,
    "vitals.heart_rate.method": "device",
    "vitals.temperature.site": "tympanic",
}


def _leaves(node: Any, path: str) -> dict[str, Any]:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            out.update(_leaves(value, f"{path}.{key}"))
        return out
    if isinstance(node, list) and node and isinstance(node[0], dict):
        out = {}
        for index, item in enumerate(node):
            out.update(_leaves(item, f"{path}.{index}"))
        return out
    return {path: node}


def test_every_recorded_value_is_listed_for_review() -> None:
    record = patch(complete_record(WorkflowState.REVIEW), **{
        **ONCE_MISSING, "time_assessment.infection.erythema": "present",
        "time_assessment.edge.condition": "undermined"})
    rows = {row["path"]: row["value"] for row in review_fields(record)}
    for path, value in ONCE_MISSING.items():
        assert rows[path] == value, path
    data = record.model_dump(mode="json")
    skipped = ("history", "captured_by", "captured_at", "assessed_by", "assessed_at",
               "artifact_id", "quality", "celsius", "retake_requested", "retake_required")
    for section in REVIEW_SECTIONS:
        for path, value in _leaves(data[section], section).items():
            if value in (None, [], False) or any(f".{s}" in path for s in skipped):
                continue
            assert path in rows, path


def test_the_console_record_view_renders_the_fields_once_missing() -> None:
    source = RECORD_VIEW.read_text(encoding="utf-8")
    for path in ONCE_MISSING:
        key = path.rsplit(".", 1)[-1]
        assert key in source or key in {"method", "site"}, key
    assert "m.site" in source
    assert "m.method" in source
