"""Synthetic exported records for the hand-off tests (obviously synthetic names)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from tests.factories import FIXED_NOW, PHOTO_ID, complete_record, patch
from woundcare.domain.enums import (
    BodyRegion,
    BodySide,
    BodyView,
    PeriwoundCondition,
    PressureInjuryStage,
    WorkflowState,
    WoundMeasurementMethod,
    WoundType,
)
from woundcare.domain.push import PushScore
from woundcare.domain.record import (
    LENGTH_CONVENTION_RULER,
    LENGTH_CONVENTION_TRACED,
    CaseRecord,
    Tunnel,
    Undermining,
    WoundMeasurement,
)
from woundcare.handoff.fhir import ExportContext, PhotoBytes

GENERATED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def push_score(total: int, area: int, exudate: int, tissue: int) -> PushScore:
    """A PUSH score as the service passes it (``compute_push``'s type), with chosen values."""
    return PushScore(total=total, area_score=area, exudate_score=exudate, tissue_score=tissue,
                     area_cm2_used=0.0)


def exported() -> CaseRecord:
    return complete_record(WorkflowState.DONE)


def measurement() -> WoundMeasurement:
    """A traced measurement on the record's photo (the real record model)."""
    return WoundMeasurement(
        method=WoundMeasurementMethod.TRACED_OUTLINE, photo_artifact_id=PHOTO_ID,
        length_cm=4.2, width_cm=2.5, depth_cm=0.4, area_cm2=7.9, perimeter_cm=11.3,
        length_convention=LENGTH_CONVENTION_TRACED,
        undermining=[Undermining(from_clock=12, to_clock=3, depth_cm=1.5)],
        tunnelling=[Tunnel(clock=6, depth_cm=2.0)],
        measured_at=FIXED_NOW - timedelta(minutes=5), measured_by=None,
        marker_detected=True, cm_per_pixel=0.02,
        outline=[(10.0, 10.0), (60.0, 12.0), (55.0, 50.0)])


def ruler_measurement() -> WoundMeasurement:
    """Length and width typed from a ruler: no outline, no area."""
    return WoundMeasurement(
        method=WoundMeasurementMethod.RULER_LENGTH_WIDTH, length_cm=3.0, width_cm=2.0,
        depth_cm=0.2, length_convention=LENGTH_CONVENTION_RULER,
        measured_at=FIXED_NOW - timedelta(minutes=5))


def with_measurement(record: CaseRecord, m: WoundMeasurement | None = None) -> CaseRecord:
    """The record with a measured, located pressure injury (validated by the real model)."""
    data = record.model_dump(mode="json")
    data["wound"].update({
        "measurement": (m or measurement()).model_dump(mode="json"),
        "wound_type": WoundType.PRESSURE_INJURY.value,
        "pressure_injury_stage": PressureInjuryStage.STAGE_2.value,
        "aetiology": "Prolonged immobility",
        "body_site": {"region": BodyRegion.HEEL.value, "side": BodySide.LEFT.value,
                      "view": BodyView.POSTERIOR.value},
        "periwound": {"condition": [PeriwoundCondition.MACERATED.value,
                                    PeriwoundCondition.ERYTHEMATOUS.value]},
    })
    return CaseRecord.model_validate(data)


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
