"""What a clinician (or a client) submits for each step: validated at the boundary.

Patches carry only the fields that were sent (``model_fields_set``): a field sent as ``null``
clears it, a field not sent is left alone.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    StringConstraints,
    model_validator,
)

from woundcare.domain.enums import (
    ConsentMethod,
    ConsentStatus,
    Orientation,
    PressureInjuryStage,
    WoundType,
)
from woundcare.domain.imaging import ImageAnalysis
from woundcare.domain.record import (
    BodySite,
    LongText,
    Patient,
    Periwound,
    QualityChecklist,
    Reason,
    ShortText,
    SizeCm,
    TimeAssessment,
    Tunnel,
    Undermining,
    Vitals,
)
from woundcare.messages import say


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class IntakeSource(StrEnum):
    FORM = "form"
    TYPED_TEXT = "typed_text"
    DOCUMENT = "document"
    VOICE = "voice"


class ConsentPatch(InputModel):
    data_storage: ConsentStatus | None = None
    photography: ConsentStatus | None = None
    team_board_sharing: ConsentStatus | None = None
    method: ConsentMethod | None = None
    notes: LongText | None = None


class BioInput(InputModel):
    kind: Literal["bio"] = "bio"
    patient: Patient | None = None
    consent: ConsentPatch | None = None
    free_text: Annotated[str, StringConstraints(min_length=1, max_length=20000)] | None = None
    source: IntakeSource = IntakeSource.FORM
    source_artifact_id: UUID | None = None

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.patient is None and self.consent is None and self.free_text is None:
            raise ValueError(say("problem.bio_empty"))
        return self


class PhotoInput(InputModel):
    artifact_id: UUID
    site: ShortText | None = None
    orientation: Orientation = Orientation.UNSPECIFIED
    scale_reference_present: StrictBool | None = None
    cm_per_pixel: Annotated[float, Strict(), Field(gt=0, le=10)] | None = None
    analysis: ImageAnalysis | None = None


class PhotoUpdate(InputModel):
    artifact_id: UUID
    site: ShortText | None = None
    orientation: Orientation | None = None
    scale_reference_present: StrictBool | None = None
    quality: QualityChecklist | None = None


class ManualMeasurementInput(InputModel):
    """What is measured by hand: ruler length x width (labelled as such), depth, undermining
    and tunnelling. Fields not sent are left alone; lists sent replace the lists."""

    ruler_length_cm: SizeCm | None = None
    ruler_width_cm: SizeCm | None = None
    depth_cm: Annotated[float, Field(ge=0, le=30)] | None = None
    undermining: list[Undermining] | None = Field(default=None, max_length=12)
    tunnelling: list[Tunnel] | None = Field(default=None, max_length=12)

    @model_validator(mode="after")
    def _pairs(self) -> Self:
        if (self.ruler_length_cm is None) != (self.ruler_width_cm is None):
            raise ValueError(say("problem.measurement.ruler_pair"))
        if not self.model_fields_set:
            raise ValueError(say("problem.measurement.empty"))
        return self


class TracedMeasurementInput(InputModel):
    """A traced-outline measurement computed by the server from the stored photo (never
    accepted from a client: the measure route builds it)."""

    kind: Literal["measurement"] = "measurement"
    photo_artifact_id: UUID
    outline: list[tuple[float, float]] = Field(min_length=3, max_length=5000)
    marker_detected: bool
    cm_per_pixel: Annotated[float, Field(gt=0, le=10)]
    length_cm: SizeCm
    width_cm: SizeCm
    area_cm2: Annotated[float, Field(gt=0, le=10000)]
    perimeter_cm: Annotated[float, Field(gt=0, le=1000)]
    length_convention: str


class ImagingInput(InputModel):
    kind: Literal["imaging"] = "imaging"
    add_photo: PhotoInput | None = None
    update_photo: PhotoUpdate | None = None
    remove_photo: UUID | None = None
    wound_site: ShortText | None = None
    description: LongText | None = None
    override_reason: Reason | None = None
    clear_override: StrictBool = False
    photography_declined_reason: Reason | None = None
    wound_type: WoundType | None = None
    aetiology: ShortText | None = None
    pressure_injury_stage: PressureInjuryStage | None = None
    body_site: BodySite | None = None
    periwound: Periwound | None = None
    manual_measurement: ManualMeasurementInput | None = None
    clear_measurement: bool = False


class VitalsInput(InputModel):
    kind: Literal["vitals"] = "vitals"
    vitals: Vitals


class TimeInput(InputModel):
    kind: Literal["time"] = "time"
    assessment: TimeAssessment


class FollowUpInput(InputModel):
    kind: Literal["follow_up"] = "follow_up"
    follow_up_id: UUID | None = None
    answer: Annotated[str, StringConstraints(min_length=1, max_length=4000)] | None = None
    dismiss_reason: Reason | None = None
    refresh: StrictBool = False

    @model_validator(mode="after")
    def _one_action(self) -> Self:
        if self.refresh:
            return self
        if self.follow_up_id is None:
            raise ValueError(say("problem.follow_up_target"))
        if (self.answer is None) == (self.dismiss_reason is None):
            raise ValueError(say("problem.answer_or_reason"))
        return self


class ReviewInput(InputModel):
    kind: Literal["review"] = "review"
    attest: Literal[True]


class AssembleInput(InputModel):
    kind: Literal["assemble"] = "assemble"


class PinInput(InputModel):
    kind: Literal["pin"] = "pin"
    pin: Annotated[str, StringConstraints(pattern=r"^[0-9]{4,12}$")] = Field(repr=False)


class ExportInput(InputModel):
    kind: Literal["export"] = "export"
    destinations: list[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{1,40}$")]] = (
        Field(default_factory=lambda: ["archive"], min_length=1, max_length=5)
    )


class ArtifactInput(InputModel):
    """Registers an uploaded, already stored and encrypted file on the record."""

    kind: Literal["artifact"] = "artifact"
    artifact_id: UUID
    artifact_kind: Literal["image", "audio", "document"]
    media_type: str
    size_bytes: Annotated[int, Strict(), Field(ge=1)]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    quality: dict[str, str | float | int | bool | None] | None = None


StepInput = Annotated[
    BioInput | ImagingInput | VitalsInput | TimeInput | FollowUpInput | ReviewInput
    | AssembleInput | PinInput | ExportInput,
    Field(discriminator="kind"),
]
