"""Wound imaging agent: photo metadata and quality checklist, neutral retake requests,
clinician overrides. The pixels are measured by an image analyser before this agent runs."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import TypeAdapter, ValidationError

from woundcare.agents.base import Agent, AgentContext, AgentResult, reject, revalidate
from woundcare.domain.enums import ConsentStatus, WorkflowState, WoundMeasurementMethod
from woundcare.domain.errors import InputRejected
from woundcare.domain.imaging import checklist_from_analysis, retake_requests
from woundcare.domain.inputs import (
    ArtifactInput,
    ImagingInput,
    ManualMeasurementInput,
    TracedMeasurementInput,
)
from woundcare.domain.problems import problems_from_validation_error
from woundcare.domain.record import (
    LENGTH_CONVENTION_RULER,
    Artifact,
    CaseRecord,
    Photo,
    Wound,
    WoundMeasurement,
)
from woundcare.messages import say

_ANY: TypeAdapter[Any] = TypeAdapter(Any)


class WoundImagingAgent(Agent):
    name: ClassVar[str] = "wound_imaging"
    state: ClassVar[WorkflowState] = WorkflowState.WOUND_IMAGING
    input_kinds: ClassVar[tuple[str, ...]] = ("imaging", "measurement")

    def run(self, record: CaseRecord, step_input: Any, ctx: AgentContext) -> AgentResult:
        if isinstance(step_input, TracedMeasurementInput):
            return _traced(record, step_input, ctx)
        assert isinstance(step_input, ImagingInput)
        wound = record.wound.model_copy(deep=True)
        messages: list[str] = []
        computed = False
        if step_input.add_photo is not None:
            spec = step_input.add_photo
            if record.consent.photography is not ConsentStatus.GRANTED:
                raise reject("add_photo", say("error.photo.consent"), "consent_required")
            if record.artifact(spec.artifact_id) is None:
                raise reject("add_photo.artifact_id", say("error.photo.not_uploaded"))
            if any(p.artifact_id == spec.artifact_id for p in wound.photos):
                raise reject("add_photo.artifact_id", say("error.photo.duplicate"))
            site = spec.site or step_input.wound_site or wound.site
            analysis = spec.analysis
            marker_found = None if analysis is None or analysis.scale_marker_detected is None \
                else True
            photo = Photo(artifact_id=spec.artifact_id, site=site,
                          orientation=spec.orientation,
                          scale_reference_present=spec.scale_reference_present
                          if spec.scale_reference_present is not None else marker_found,
                          cm_per_pixel=spec.cm_per_pixel if spec.cm_per_pixel is not None
                          else (analysis.cm_per_pixel if analysis is not None else None))
            if spec.analysis is not None:
                photo.quality = checklist_from_analysis(spec.analysis)
                retakes = retake_requests(photo.quality)
                photo.retake_requested = bool(retakes)
                messages.extend(retakes)
                computed = True
            wound.photos.append(photo)
        if step_input.update_photo is not None:
            update = step_input.update_photo
            found = next((p for p in wound.photos if p.artifact_id == update.artifact_id), None)
            if found is None:
                raise reject("update_photo.artifact_id", say("error.photo.unknown"))
            try:
                for name in update.model_fields_set - {"artifact_id"}:
                    setattr(found, name, getattr(update, name))
            except ValidationError as exc:  # e.g. a required value sent as null
                raise InputRejected(
                    problems_from_validation_error(exc, prefix="update_photo")
                ) from None
            if "quality" in update.model_fields_set:
                found.retake_requested = bool(found.quality.failed())
        if step_input.remove_photo is not None:
            before = len(wound.photos)
            wound.photos = [p for p in wound.photos if p.artifact_id != step_input.remove_photo]
            if len(wound.photos) == before:
                raise reject("remove_photo", say("error.photo.unknown"))
            if wound.measurement is not None and (
                    wound.measurement.photo_artifact_id == step_input.remove_photo):
                wound.measurement = None
                messages.append(say("agent.imaging.measurement_removed"))
        data = record.model_dump(mode="json")
        wound_data = wound.model_dump(mode="json")
        for name, target in (("wound_site", "site"), ("description", "description"),
                             ("override_reason", "override_reason"),
                             ("photography_declined_reason", "photography_declined_reason"),
                             ("wound_type", "wound_type"), ("aetiology", "aetiology"),
                             ("pressure_injury_stage", "pressure_injury_stage"),
                             ("body_site", "body_site"), ("periwound", "periwound")):
            if name in step_input.model_fields_set:
                value = getattr(step_input, name)
                wound_data[target] = _ANY.dump_python(value, mode="json")
        if step_input.clear_measurement:
            wound_data["measurement"] = None
        if step_input.manual_measurement is not None:
            wound_data["measurement"] = _manual(wound_data.get("measurement"),
                                                step_input.manual_measurement, ctx)
        try:
            wound = Wound.model_validate(wound_data)
        except ValidationError as exc:
            raise InputRejected(problems_from_validation_error(exc, prefix="wound")) from None
        if step_input.clear_override:
            wound.override_reason = None
        wound.retake_required = bool(wound.photos) and not any(
            p.quality.passes() for p in wound.photos
        )
        data["wound"] = wound.model_dump(mode="json")
        return AgentResult(record=revalidate(data), messages=tuple(messages),
                           source_artifact_id=_artifact_of(step_input),
                           attributed_to_agent=computed)

    def missing(self, record: CaseRecord) -> list[str]:
        missing = []
        if not record.wound.site:
            missing.append("wound.site")
        if record.consent.photography is ConsentStatus.GRANTED and not record.wound.photos:
            missing.append("wound.photos")
        return missing


def _manual(current: dict[str, Any] | None, manual: ManualMeasurementInput,
            ctx: AgentContext) -> dict[str, Any]:
    """The measurement after a hand entry: ruler L x W replaces a traced size (and its
    outline); depth, undermining and tunnelling are kept with either method."""
    sent = manual.model_fields_set
    base: dict[str, Any] = dict(current) if current else {
        "method": WoundMeasurementMethod.RULER_LENGTH_WIDTH.value}
    if "ruler_length_cm" in sent and manual.ruler_length_cm is not None:
        keep = {k: base.get(k) for k in ("depth_cm", "undermining", "tunnelling")
                if base.get(k) is not None}
        base = {"method": WoundMeasurementMethod.RULER_LENGTH_WIDTH.value, **keep,
                "length_cm": manual.ruler_length_cm, "width_cm": manual.ruler_width_cm,
                "length_convention": LENGTH_CONVENTION_RULER}
    elif "ruler_length_cm" in sent and base.get("method") == (
            WoundMeasurementMethod.RULER_LENGTH_WIDTH.value):
        base.update(length_cm=None, width_cm=None, length_convention=None)
    if "depth_cm" in sent:
        base["depth_cm"] = manual.depth_cm
    if "undermining" in sent:
        base["undermining"] = [u.model_dump(mode="json") for u in manual.undermining or []]
    if "tunnelling" in sent:
        base["tunnelling"] = [t.model_dump(mode="json") for t in manual.tunnelling or []]
    base["measured_at"] = ctx.now.isoformat()
    base["measured_by"] = str(ctx.actor.clinician_id)
    return base


def _traced(record: CaseRecord, spec: TracedMeasurementInput, ctx: AgentContext) -> AgentResult:
    """Store a measurement the server computed from a traced outline on a stored photo; the
    hand-entered depth, undermining and tunnelling are kept."""
    if not any(p.artifact_id == spec.photo_artifact_id for p in record.wound.photos):
        raise reject("photo_artifact_id", say("error.measurement.photo_not_on_record"))
    current = record.wound.measurement
    measurement = WoundMeasurement(
        method=WoundMeasurementMethod.TRACED_OUTLINE, photo_artifact_id=spec.photo_artifact_id,
        outline=[(round(x, 2), round(y, 2)) for x, y in spec.outline],
        marker_detected=spec.marker_detected, cm_per_pixel=spec.cm_per_pixel,
        length_cm=round(spec.length_cm, 3), width_cm=round(spec.width_cm, 3),
        area_cm2=round(spec.area_cm2, 3), perimeter_cm=round(spec.perimeter_cm, 3),
        length_convention=spec.length_convention,
        depth_cm=current.depth_cm if current else None,
        undermining=current.undermining if current else [],
        tunnelling=current.tunnelling if current else [],
        measured_at=ctx.now, measured_by=ctx.actor.clinician_id)
    data = record.model_dump(mode="json")
    data["wound"]["measurement"] = measurement.model_dump(mode="json")
    return AgentResult(record=revalidate(data), source_artifact_id=spec.photo_artifact_id,
                       attributed_to_agent=True)


def _artifact_of(step_input: ImagingInput) -> Any:
    if step_input.add_photo is not None:
        return step_input.add_photo.artifact_id
    if step_input.update_photo is not None:
        return step_input.update_photo.artifact_id
    return None


def register_artifact(record: CaseRecord, spec: ArtifactInput, ctx: AgentContext) -> CaseRecord:
    """Add an uploaded file's metadata (never its bytes) to the record."""
    if record.artifact(spec.artifact_id) is not None:
        raise reject("artifact_id", say("error.artifact.duplicate"))
    artifact = Artifact(artifact_id=spec.artifact_id, kind=spec.artifact_kind,
                        media_type=spec.media_type, size_bytes=spec.size_bytes,
                        sha256=spec.sha256, created_at=ctx.now,
                        created_by=ctx.actor.clinician_id, quality=spec.quality)
    data = record.model_dump(mode="json")
    data["artifacts"].append(artifact.model_dump(mode="json"))
    return revalidate(data)
