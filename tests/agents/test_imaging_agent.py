"""Wound imaging agent: checklist from the measured pixels, neutral retake requests, consent,
overrides with a reason."""

from __future__ import annotations

from uuid import UUID

import pytest

from tests.factories import (
    CLINICIAN_ID,
    FIXED_NOW,
    PHOTO_ID,
    SYNTHETIC_SHA,
    complete_record,
    patch,
)
from woundcare.agents.base import AgentContext
from woundcare.agents.imaging import WoundImagingAgent, register_artifact
from woundcare.domain.enums import CheckResult, WorkflowState
from woundcare.domain.errors import InputRejected
from woundcare.domain.guards import imaging_confirmed
from woundcare.domain.imaging import RETAKE_REQUESTS, ImageAnalysis
from woundcare.domain.inputs import ArtifactInput, ImagingInput, PhotoInput, PhotoUpdate
from woundcare.domain.record import CaseRecord

AGENT = WoundImagingAgent()
SHARP = ImageAnalysis(width=960, height=720, sharpness=400.0, brightness=130.0,
                      clipped_fraction=0.0, subject_centred=True)
BLURRED = SHARP.model_copy(update={"sharpness": 5.0})


def with_artifacts(record: CaseRecord, ctx: AgentContext, *ids: UUID) -> CaseRecord:
    for artifact_id in ids:
        record = register_artifact(record, ArtifactInput(
            artifact_id=artifact_id, artifact_kind="image", media_type="image/jpeg",
            size_bytes=2048, sha256=SYNTHETIC_SHA), ctx)
    return record


def imaging_record(ctx: AgentContext, photography: str = "granted") -> CaseRecord:
    record = patch(complete_record(WorkflowState.WOUND_IMAGING),
                   **{"consent.photography": photography})
    return with_artifacts(record, ctx, PHOTO_ID, UUID(int=PHOTO_ID.int + 1))


def test_register_artifact_keeps_metadata_only(ctx: AgentContext) -> None:
    record = imaging_record(ctx)
    artifact = record.artifact(PHOTO_ID)
    assert artifact is not None
    assert (artifact.size_bytes, artifact.sha256, artifact.created_by, artifact.created_at) == (
        2048, SYNTHETIC_SHA, CLINICIAN_ID, FIXED_NOW)
    with pytest.raises(InputRejected) as caught:
        with_artifacts(record, ctx, PHOTO_ID)
    assert caught.value.problems[0].path == "artifact_id"


def test_sharp_photo_passes_and_closes_the_step(ctx: AgentContext) -> None:
    result = AGENT.run(imaging_record(ctx), ImagingInput(
        wound_site="left heel (synthetic)",
        add_photo=PhotoInput(artifact_id=PHOTO_ID, orientation="lateral", analysis=SHARP)), ctx)
    [photo] = result.record.wound.photos
    assert (photo.quality.framing, photo.quality.focus, photo.quality.lighting) == (
        CheckResult.PASS, CheckResult.PASS, CheckResult.PASS)
    assert photo.retake_requested is False
    assert photo.site == "left heel (synthetic)"
    assert result.record.wound.retake_required is False
    assert result.messages == ()
    assert result.attributed_to_agent is True  # the checklist was computed
    assert result.source_artifact_id == PHOTO_ID
    assert imaging_confirmed(result.record) == []


def test_blurred_photo_gets_a_neutral_retake_request(ctx: AgentContext) -> None:
    result = AGENT.run(imaging_record(ctx), ImagingInput(
        add_photo=PhotoInput(artifact_id=PHOTO_ID, analysis=BLURRED)), ctx)
    [photo] = result.record.wound.photos
    assert photo.quality.focus is CheckResult.FAIL
    assert photo.retake_requested is True
    assert result.record.wound.retake_required is True
    assert result.messages == (RETAKE_REQUESTS["focus"],)
    assert [b.code for b in imaging_confirmed(result.record)] == ["photos.quality"]

    retaken = AGENT.run(result.record, ImagingInput(
        add_photo=PhotoInput(artifact_id=UUID(int=PHOTO_ID.int + 1), analysis=SHARP)), ctx)
    assert retaken.record.wound.retake_required is False
    assert imaging_confirmed(retaken.record) == []


def test_photo_without_analysis_is_unknown_and_attributed_to_the_person(
        ctx: AgentContext) -> None:
    result = AGENT.run(imaging_record(ctx), ImagingInput(
        add_photo=PhotoInput(artifact_id=PHOTO_ID)), ctx)
    assert result.record.wound.photos[0].quality.focus is CheckResult.UNKNOWN
    assert result.attributed_to_agent is False


@pytest.mark.parametrize("photography", ["declined", "not_recorded"])
def test_photo_refused_without_photography_consent(ctx: AgentContext,
                                                   photography: str) -> None:
    record = imaging_record(ctx, photography)
    with pytest.raises(InputRejected) as caught:
        AGENT.run(record, ImagingInput(add_photo=PhotoInput(artifact_id=PHOTO_ID)), ctx)
    assert caught.value.problems[0].code == "consent_required"
    assert caught.value.problems[0].path == "add_photo"


def test_photography_declined_closes_with_reason(ctx: AgentContext) -> None:
    record = imaging_record(ctx, "declined")
    result = AGENT.run(record, ImagingInput(
        photography_declined_reason="Patient declined photography (synthetic)."), ctx)
    assert result.record.wound.photography_declined_reason == (
        "Patient declined photography (synthetic).")
    assert result.record.wound.photos == []
    assert imaging_confirmed(result.record) == []


def test_unknown_or_duplicate_photo_refused(ctx: AgentContext) -> None:
    record = imaging_record(ctx)
    with pytest.raises(InputRejected) as caught:
        AGENT.run(record, ImagingInput(add_photo=PhotoInput(artifact_id=UUID(int=99))), ctx)
    assert caught.value.problems[0].path == "add_photo.artifact_id"
    once = AGENT.run(record, ImagingInput(add_photo=PhotoInput(artifact_id=PHOTO_ID)), ctx)
    with pytest.raises(InputRejected):
        AGENT.run(once.record, ImagingInput(add_photo=PhotoInput(artifact_id=PHOTO_ID)), ctx)


def test_override_with_reason_then_cleared(ctx: AgentContext) -> None:
    record = imaging_record(ctx)
    blurred = AGENT.run(record, ImagingInput(
        add_photo=PhotoInput(artifact_id=PHOTO_ID, analysis=BLURRED)), ctx).record
    overridden = AGENT.run(blurred, ImagingInput(
        override_reason="Wound under a cast today; photo not possible (synthetic)."), ctx)
    assert overridden.record.wound.override_reason is not None
    assert imaging_confirmed(overridden.record) == []
    cleared = AGENT.run(overridden.record, ImagingInput(clear_override=True), ctx)
    assert cleared.record.wound.override_reason is None
    assert [b.code for b in imaging_confirmed(cleared.record)] == ["photos.quality"]


def test_override_reason_must_be_a_real_reason() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        ImagingInput(override_reason="x")


def test_update_and_remove_photo(ctx: AgentContext) -> None:
    record = AGENT.run(imaging_record(ctx), ImagingInput(
        add_photo=PhotoInput(artifact_id=PHOTO_ID, analysis=SHARP)), ctx).record
    failed = AGENT.run(record, ImagingInput(update_photo=PhotoUpdate(
        artifact_id=PHOTO_ID, orientation="anterior",
        quality={"framing": "fail", "focus": "pass", "lighting": "pass"})), ctx).record
    photo = failed.wound.photos[0]
    assert photo.orientation.value == "anterior"
    assert photo.retake_requested is True
    assert failed.wound.retake_required is True

    removed = AGENT.run(failed, ImagingInput(remove_photo=PHOTO_ID), ctx).record
    assert removed.wound.photos == []
    assert removed.wound.retake_required is False
    assert removed.artifact(PHOTO_ID) is not None  # the file itself stays registered
    with pytest.raises(InputRejected):
        AGENT.run(removed, ImagingInput(remove_photo=PHOTO_ID), ctx)
    with pytest.raises(InputRejected):
        AGENT.run(removed, ImagingInput(update_photo=PhotoUpdate(artifact_id=PHOTO_ID)), ctx)


def test_missing_lists_site_and_photos(ctx: AgentContext) -> None:
    record = patch(imaging_record(ctx), **{"wound.site": None})
    assert AGENT.missing(record) == ["wound.site", "wound.photos"]
    declined = patch(record, **{"consent.photography": "declined"})
    assert AGENT.missing(declined) == ["wound.site"]


@pytest.mark.parametrize("field", ["orientation", "quality"])
def test_update_photo_with_a_required_value_sent_as_null_is_an_input_error(
        ctx: AgentContext, field: str) -> None:
    record = AGENT.run(imaging_record(ctx), ImagingInput(
        add_photo=PhotoInput(artifact_id=PHOTO_ID, analysis=SHARP)), ctx).record
    update = PhotoUpdate.model_validate({"artifact_id": str(PHOTO_ID), field: None})
    with pytest.raises(InputRejected) as caught:
        AGENT.run(record, ImagingInput(update_photo=update), ctx)
    assert [p.path for p in caught.value.problems] == [f"update_photo.{field}"]
    assert record.wound.photos[0].orientation.value == "unspecified"  # input record untouched
