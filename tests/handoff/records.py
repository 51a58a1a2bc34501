"""Synthetic exported records for the hand-off tests (obviously synthetic names)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from tests.factories import FIXED_NOW, PHOTO_ID, complete_record, patch
from woundcare.domain.enums import WorkflowState
from woundcare.domain.record import CaseRecord
from woundcare.handoff.fhir import ExportContext, PhotoBytes

GENERATED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@dataclass
class Push:
    total: int
    area_score: int
    exudate_score: int
    tissue_score: int


def exported() -> CaseRecord:
    return complete_record(WorkflowState.DONE)


def measurement() -> Any:
    """The measurement the measuring work adds to ``record.wound`` (duck-typed here, so these
    tests run with or without it)."""
    return SimpleNamespace(
        method="traced_outline", photo_artifact_id=PHOTO_ID, length_cm=4.2, width_cm=2.5,
        depth_cm=0.4, area_cm2=7.9, perimeter_cm=11.3, length_convention="head_to_toe",
        undermining=[SimpleNamespace(from_clock=12, to_clock=3, depth_cm=1.5)],
        tunnelling=[SimpleNamespace(clock=6, depth_cm=2.0)],
        measured_at=FIXED_NOW - timedelta(minutes=5), measured_by=None,
        marker_detected=True, cm_per_pixel=0.02, outline=[[10, 10], [60, 12], [55, 50]])


def with_measurement(record: CaseRecord) -> CaseRecord:
    wound = record.wound
    if "measurement" in type(wound).model_fields:  # the real field exists: use it
        data = record.model_dump(mode="json")
        m = measurement()
        data["wound"]["measurement"] = {
            **{k: v for k, v in vars(m).items() if k not in ("undermining", "tunnelling")},
            "photo_artifact_id": str(PHOTO_ID), "measured_at": m.measured_at.isoformat(),
            "undermining": [vars(u) for u in m.undermining],
            "tunnelling": [vars(t) for t in m.tunnelling]}
        with contextlib.suppress(ValueError):  # the real model may name things differently
            return CaseRecord.model_validate(data)
    object.__setattr__(wound, "measurement", measurement())
    object.__setattr__(wound, "wound_type", "pressure_injury")
    object.__setattr__(wound, "body_site", SimpleNamespace(region="heel", side="left",
                                                           view="posterior"))
    return record


def context(**overrides: Any) -> ExportContext:
    values: dict[str, Any] = {
        "organisation_name": "Synthetic Clinic A", "clinician_name": "Dr Sampleton",
        "mrn_system": "urn:oid:2.16.840.1.113883.19.5", "generated_at": GENERATED,
        "photos": {PHOTO_ID: PhotoBytes("image/jpeg", b"\xff\xd8synthetic\xff\xd9")},
        "push": None, **overrides}
    return ExportContext(**values)


def unknown_vitals(record: CaseRecord) -> CaseRecord:
    return patch(record, **{"vitals.heart_rate": {"unknown": True},
                            "vitals.blood_pressure": {"unknown": True},
                            "vitals.pain": {"unknown": True}})


def declined_sharing_no_photos(record: CaseRecord) -> CaseRecord:
    data = record.model_dump(mode="json")
    data["wound"]["photos"] = []
    data["consent"]["team_board_sharing"] = "not_recorded"
    return CaseRecord.model_validate(data)


def ids() -> UUID:
    return PHOTO_ID
