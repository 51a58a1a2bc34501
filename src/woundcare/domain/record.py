"""The case record: one validated record per case (the contract with console and exporters).

Drafts are allowed: most fields are optional so that every edit can be autosaved. Rules that
hold for *any* value (ranges, formats, totals) are enforced here, at the boundary; rules about
*completeness* (what must be present before a step closes) are the workflow guards' job.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, ClassVar, Self
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    Strict,
    StrictBool,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from woundcare.domain.enums import (
    ArtifactKind,
    BodyRegion,
    BodySide,
    BodyView,
    CaseStatus,
    CheckResult,
    ConsentKind,
    ConsentMethod,
    ConsentStatus,
    DressingSaturation,
    EdgeCondition,
    ExudateConsistency,
    ExudateLevel,
    FollowUpReason,
    FollowUpStatus,
    MeasurementMethod,
    Orientation,
    PainScale,
    PeriwoundCondition,
    Presence,
    PressureInjuryStage,
    Sex,
    TemperatureSite,
    TemperatureUnit,
    WorkflowState,
    WoundMeasurementMethod,
    WoundType,
)
from woundcare.messages import say

MAX_AGE_YEARS = 120


class RecordModel(BaseModel):
    """Base of every record part: unknown fields are refused, assignment is validated."""

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, str_strip_whitespace=True
    )


def _problem(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, message)


def _dob_not_future(value: date) -> date:
    today = datetime.now(UTC).date()
    if value > today:
        raise _problem("date_in_future", say("problem.date_in_future"))
    if value < today - timedelta(days=366 * (MAX_AGE_YEARS + 10)):
        raise _problem(
            "date_too_old",
            say("problem.date_too_old", count=MAX_AGE_YEARS + 10),
        )
    return value


def _phone(value: str) -> str:
    digits = re.sub(r"[\s().-]", "", value)
    if not re.fullmatch(r"\+?\d{5,15}", digits):
        raise _problem(
            "phone_format", say("problem.phone_format")
        )
    return value


Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=4000)]
Reason = Annotated[str, StringConstraints(min_length=3, max_length=1000)]
DateOfBirth = Annotated[date, AfterValidator(_dob_not_future)]
Phone = Annotated[str, StringConstraints(max_length=32), AfterValidator(_phone)]
Mrn = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._/-]*$")
]
Percent = Annotated[float, Strict(), Field(ge=0, le=100)]


# ---------------------------------------------------------------- patient and consent


class Contact(RecordModel):
    phone: Phone | None = None
    email: EmailStr | None = None
    address: Annotated[str, StringConstraints(max_length=500)] | None = None


class Patient(RecordModel):
    first_name: Name | None = None
    last_name: Name | None = None
    preferred_name: Name | None = None
    date_of_birth: DateOfBirth | None = None
    age: Annotated[int, Strict(), Field(ge=0, le=MAX_AGE_YEARS)] | None = None
    sex: Sex | None = None
    mrn: Mrn | None = None
    contact: Contact = Field(default_factory=Contact)
    notes: LongText | None = None


class ConsentChange(RecordModel):
    """One entry of a case's consent history (kept forever, never edited)."""

    kind: ConsentKind
    status: ConsentStatus
    captured_by: UUID
    captured_at: AwareDatetime
    method: ConsentMethod = ConsentMethod.UNKNOWN


class Consent(RecordModel):
    data_storage: ConsentStatus = ConsentStatus.NOT_RECORDED
    photography: ConsentStatus = ConsentStatus.NOT_RECORDED
    team_board_sharing: ConsentStatus = ConsentStatus.NOT_RECORDED
    method: ConsentMethod | None = None
    captured_by: UUID | None = None
    captured_at: AwareDatetime | None = None
    notes: LongText | None = None
    history: list[ConsentChange] = Field(default_factory=list)

    def status_of(self, kind: ConsentKind) -> ConsentStatus:
        status: ConsentStatus = getattr(self, kind.value)
        return status


# ---------------------------------------------------------------- wound and photos


class QualityChecklist(RecordModel):
    framing: CheckResult = CheckResult.UNKNOWN
    focus: CheckResult = CheckResult.UNKNOWN
    lighting: CheckResult = CheckResult.UNKNOWN
    scale: CheckResult = CheckResult.UNKNOWN
    identifier: CheckResult = CheckResult.UNKNOWN

    def failed(self) -> list[str]:
        return [name for name, value in self if value is CheckResult.FAIL]

    def passes(self) -> bool:
        """A photo passes when no check failed and framing, focus and lighting passed."""
        essentials = (self.framing, self.focus, self.lighting)
        return not self.failed() and all(v is CheckResult.PASS for v in essentials)


class Photo(RecordModel):
    artifact_id: UUID
    site: ShortText | None = None
    orientation: Orientation = Orientation.UNSPECIFIED
    scale_reference_present: StrictBool | None = None
    cm_per_pixel: Annotated[float, Strict(), Field(gt=0, le=10)] | None = None
    quality: QualityChecklist = Field(default_factory=QualityChecklist)
    retake_requested: StrictBool = False


Clock = Annotated[int, Field(ge=1, le=12)]
DepthCm = Annotated[float, Field(gt=0, le=30)]
SizeCm = Annotated[float, Field(gt=0, le=100)]


class Undermining(RecordModel):
    """Undermining from one clock position to another (12 o'clock towards the head)."""

    from_clock: Clock
    to_clock: Clock
    depth_cm: DepthCm


class Tunnel(RecordModel):
    clock: Clock
    depth_cm: DepthCm


LENGTH_CONVENTION_TRACED = "longest_diameter_and_perpendicular"
LENGTH_CONVENTION_RULER = "as_measured_with_ruler"


class WoundMeasurement(RecordModel):
    """Size of the wound at this visit.

    ``traced_outline``: traced on a photo beside the calibration marker; the server computes
    area, perimeter, length (longest diameter) and width (greatest extent perpendicular to
    it) on the rectified skin plane. ``ruler_length_width``: length and width typed from a
    ruler (no area: length x width overestimates it; PUSH uses length x width by design).
    Depth, undermining and tunnelling are entered by hand with either method."""

    method: WoundMeasurementMethod
    photo_artifact_id: UUID | None = None
    outline: list[tuple[float, float]] | None = Field(default=None, max_length=5000)
    marker_detected: bool | None = None
    cm_per_pixel: Annotated[float, Field(gt=0, le=10)] | None = None
    length_cm: SizeCm | None = None
    width_cm: SizeCm | None = None
    area_cm2: Annotated[float, Field(gt=0, le=10000)] | None = None
    perimeter_cm: Annotated[float, Field(gt=0, le=1000)] | None = None
    length_convention: Annotated[str, StringConstraints(max_length=60)] | None = None
    depth_cm: Annotated[float, Field(ge=0, le=30)] | None = None
    undermining: list[Undermining] = Field(default_factory=list, max_length=12)
    tunnelling: list[Tunnel] = Field(default_factory=list, max_length=12)
    measured_at: AwareDatetime | None = None
    measured_by: UUID | None = None

    @model_validator(mode="after")
    def _method_consistent(self) -> Self:
        if self.width_cm is not None and self.length_cm is not None and (
                self.width_cm > self.length_cm + 1e-9
                and self.method is WoundMeasurementMethod.TRACED_OUTLINE):
            raise _problem("width_above_length",
                           say("problem.measurement.width_above_length"))
        if self.method is WoundMeasurementMethod.TRACED_OUTLINE:
            needed = {"photo_artifact_id": self.photo_artifact_id, "outline": self.outline,
                      "area_cm2": self.area_cm2, "length_cm": self.length_cm,
                      "width_cm": self.width_cm}
            missing = [name for name, value in needed.items() if value is None]
            if missing:
                raise _problem("traced_incomplete",
                               say("problem.measurement.traced_incomplete", fields=missing))
            if self.outline is not None and len(self.outline) < 3:
                raise _problem("outline_too_short", say("problem.outline.too_short", count=3))
        else:
            if self.outline is not None or self.area_cm2 is not None or (
                    self.perimeter_cm is not None):
                raise _problem("ruler_no_outline", say("problem.measurement.ruler_no_outline"))
        return self

    def length_times_width(self) -> float | None:
        if self.length_cm is None or self.width_cm is None:
            return None
        return self.length_cm * self.width_cm


class BodySite(RecordModel):
    region: BodyRegion
    side: BodySide | None = None
    view: BodyView | None = None


class Periwound(RecordModel):
    """Skin around the wound: one or more conditions ("intact" stands alone)."""

    condition: list[PeriwoundCondition] = Field(default_factory=list, max_length=8)

    @model_validator(mode="after")
    def _intact_alone(self) -> Self:
        if PeriwoundCondition.INTACT in self.condition and len(set(self.condition)) > 1:
            raise _problem("periwound_intact_alone", say("problem.periwound.intact_alone"))
        if len(set(self.condition)) != len(self.condition):
            raise _problem("periwound_repeated", say("problem.periwound.repeated"))
        return self


class Wound(RecordModel):
    site: ShortText | None = None
    description: LongText | None = None
    photos: list[Photo] = Field(default_factory=list)
    retake_required: StrictBool = False
    override_reason: Reason | None = None
    photography_declined_reason: Reason | None = None
    wound_type: WoundType | None = None
    aetiology: ShortText | None = None
    pressure_injury_stage: PressureInjuryStage | None = None
    body_site: BodySite | None = None
    periwound: Periwound | None = None
    measurement: WoundMeasurement | None = None

    @model_validator(mode="after")
    def _stage_only_for_pressure_injuries(self) -> Self:
        if self.pressure_injury_stage is not None and (
                self.wound_type is not WoundType.PRESSURE_INJURY):
            raise _problem("stage_needs_pressure_injury",
                           say("problem.wound.stage_needs_pressure_injury"))
        return self


# ---------------------------------------------------------------- vitals


class Measurement(RecordModel):
    """Common to every vital: when it was captured, or that it is explicitly unknown."""

    UNIT_FIELD: ClassVar[str] = "unit"

    captured_at: AwareDatetime | None = None
    unknown: StrictBool = False

    def unit_value(self) -> object:
        return getattr(self, self.UNIT_FIELD, None)

    def incomplete_values(self) -> list[str]:
        """Fields of a multi-part value that are still empty (blood pressure)."""
        return []

    def _values_present(self) -> bool:  # overridden
        return False

    @model_validator(mode="after")
    def _unknown_has_no_value(self) -> Self:
        if self.unknown and self._values_present():
            raise _problem(
                "unknown_with_value", say("problem.unknown_with_value")
            )
        return self

    def is_recorded(self) -> bool:
        return self.unknown or self._values_present()


class BloodPressure(Measurement):
    systolic: Annotated[int, Strict(), Field(ge=40, le=300)] | None = None
    diastolic: Annotated[int, Strict(), Field(ge=20, le=200)] | None = None
    unit: str | None = Field(default=None, pattern=r"^mmHg$")

    def _values_present(self) -> bool:
        return self.systolic is not None or self.diastolic is not None

    def incomplete_values(self) -> list[str]:
        if not self._values_present():
            return []
        return [name for name in ("systolic", "diastolic") if getattr(self, name) is None]

    @model_validator(mode="after")
    def _systolic_above_diastolic(self) -> Self:
        if (
            self.systolic is not None
            and self.diastolic is not None
            and self.systolic <= self.diastolic
        ):
            raise _problem(
                "bp_order", say("problem.bp_order")
            )
        return self


class HeartRate(Measurement):
    value: Annotated[int, Strict(), Field(ge=20, le=300)] | None = None
    unit: str | None = Field(default=None, pattern=r"^bpm$")
    method: MeasurementMethod | None = None

    def _values_present(self) -> bool:
        return self.value is not None


class RespiratoryRate(Measurement):
    value: Annotated[int, Strict(), Field(ge=2, le=80)] | None = None
    unit: str | None = Field(default=None, pattern=r"^breaths/min$")

    def _values_present(self) -> bool:
        return self.value is not None


TEMPERATURE_RANGE = {TemperatureUnit.C: (25.0, 45.0), TemperatureUnit.F: (77.0, 113.0)}


class Temperature(Measurement):
    """A temperature as entered (``value``/``unit``) plus its Celsius normalisation."""

    value: Annotated[float, Strict()] | None = None
    unit: TemperatureUnit | None = None
    site: TemperatureSite | None = None
    celsius: Annotated[float, Strict()] | None = None

    def _values_present(self) -> bool:
        return self.value is not None

    @model_validator(mode="after")
    def _physically_possible(self) -> Self:
        if self.value is not None and self.unit is None:
            low = min(r[0] for r in TEMPERATURE_RANGE.values())
            high = max(r[1] for r in TEMPERATURE_RANGE.values())
            if not low <= self.value <= high:
                raise _problem(
                    "temperature_range",
                    say("problem.temperature_range_any", low=low, high=high),
                )
        if self.value is not None and self.unit is not None:
            low, high = TEMPERATURE_RANGE[self.unit]
            if not low <= self.value <= high:
                raise _problem(
                    "temperature_range",
                    say("problem.temperature_range", unit=self.unit.value, low=low,
                        high=high),
                )
        return self


class OxygenSaturation(Measurement):
    value: Annotated[float, Strict(), Field(ge=0, le=100)] | None = None
    unit: str | None = Field(default=None, pattern=r"^%$")
    method: MeasurementMethod | None = None

    def _values_present(self) -> bool:
        return self.value is not None


class PainScore(Measurement):
    UNIT_FIELD: ClassVar[str] = "scale"

    value: Annotated[int, Strict(), Field(ge=0, le=10)] | None = None
    scale: PainScale | None = None

    def _values_present(self) -> bool:
        return self.value is not None


class Vitals(RecordModel):
    blood_pressure: BloodPressure = Field(default_factory=BloodPressure)
    heart_rate: HeartRate = Field(default_factory=HeartRate)
    respiratory_rate: RespiratoryRate = Field(default_factory=RespiratoryRate)
    temperature: Temperature = Field(default_factory=Temperature)
    oxygen_saturation: OxygenSaturation = Field(default_factory=OxygenSaturation)
    pain: PainScore = Field(default_factory=PainScore)

    def measurements(self) -> dict[str, Measurement]:
        return {name: value for name, value in self if isinstance(value, Measurement)}


# ---------------------------------------------------------------- T.I.M.E.


class Tissue(RecordModel):
    granulation_pct: Percent | None = None
    slough_pct: Percent | None = None
    necrotic_pct: Percent | None = None
    epithelial_pct: Percent | None = None

    def total(self) -> float:
        # Rounded: one-decimal entries that add up to exactly 100 must not fail on float error.
        return round(sum(v for _, v in self if isinstance(v, float | int)), 6)

    @model_validator(mode="after")
    def _total_at_most_100(self) -> Self:
        if self.total() > 100:
            raise _problem(
                "tissue_total",
                say("problem.tissue_total", total=self.total()),
            )
        return self


class Infection(RecordModel):
    odour: Presence | None = None
    erythema: Presence | None = None
    erythema_extent_cm: Annotated[float, Strict(), Field(ge=0, le=100)] | None = None
    pain_descriptors: list[Annotated[str, StringConstraints(min_length=1, max_length=60)]] = (
        Field(default_factory=list, max_length=10)
    )


class Moisture(RecordModel):
    exudate_level: ExudateLevel | None = None
    exudate_consistency: ExudateConsistency | None = None
    dressing_saturation: DressingSaturation | None = None


class Edge(RecordModel):
    condition: EdgeCondition | None = None
    undermining_depth_cm: Annotated[float, Strict(), Field(ge=0, le=30)] | None = None
    epibole: Presence | None = None


class TimeAssessment(RecordModel):
    tissue: Tissue = Field(default_factory=Tissue)
    infection: Infection = Field(default_factory=Infection)
    moisture: Moisture = Field(default_factory=Moisture)
    edge: Edge = Field(default_factory=Edge)
    notes: LongText | None = None
    assessed_by: UUID | None = None
    assessed_at: AwareDatetime | None = None


# ---------------------------------------------------------------- follow-ups and artifacts


class FollowUp(RecordModel):
    follow_up_id: UUID
    question: Annotated[str, StringConstraints(min_length=3, max_length=500)]
    field_path: str
    reason: FollowUpReason
    status: FollowUpStatus = FollowUpStatus.PENDING
    answer: LongText | None = None
    dismiss_reason: Reason | None = None
    created_at: AwareDatetime
    resolved_at: AwareDatetime | None = None
    resolved_by: UUID | None = None

    @model_validator(mode="after")
    def _closed_consistently(self) -> Self:
        if self.status is FollowUpStatus.RESOLVED and not self.answer:
            raise _problem("answer_required", say("problem.answer_required"))
        if self.status is FollowUpStatus.DISMISSED and not self.dismiss_reason:
            raise _problem("reason_required", say("problem.reason_required"))
        return self


class Artifact(RecordModel):
    artifact_id: UUID
    kind: ArtifactKind
    media_type: Annotated[str, StringConstraints(pattern=r"^[a-z]+/[a-z0-9.+-]+$")]
    size_bytes: Annotated[int, Strict(), Field(ge=1)]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    created_at: AwareDatetime
    created_by: UUID
    quality: dict[str, str | float | int | bool | None] | None = None


# ---------------------------------------------------------------- review, signature, export


class ReviewAttestation(RecordModel):
    attested_by: UUID
    attested_at: AwareDatetime
    statement: str


class PinLinkage(RecordModel):
    """Who signed the record and a digest of exactly what they signed; never the PIN."""

    clinician_id: UUID
    signed_at: AwareDatetime
    record_digest: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class Seal(RecordModel):
    """Set by the data steward once every sensitive field is encrypted under a key version."""

    key_version: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    sealed_at: AwareDatetime
    sealed_paths: list[str]
    # Digest of the clinical content that was sealed: any later change shows.
    record_digest: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None


class ExportRecord(RecordModel):
    exported_at: AwareDatetime
    exported_by: UUID
    destinations: list[str]


# ---------------------------------------------------------------- the record


class CaseRecord(RecordModel):
    case_id: UUID
    organisation_id: UUID
    owner_id: UUID
    created_at: AwareDatetime
    updated_at: AwareDatetime
    version: Annotated[int, Strict(), Field(ge=0)] = 0
    state: WorkflowState = WorkflowState.START
    status: CaseStatus = CaseStatus.DRAFT
    visit_number: Annotated[int, Strict(), Field(ge=1)] = 1
    previous_case_id: UUID | None = None
    # The same patient and wound across visits (within the organisation); a next visit
    # carries both.
    patient_id: UUID | None = None
    wound_id: UUID | None = None
    patient: Patient = Field(default_factory=Patient)
    consent: Consent = Field(default_factory=Consent)
    wound: Wound = Field(default_factory=Wound)
    vitals: Vitals = Field(default_factory=Vitals)
    time_assessment: TimeAssessment = Field(default_factory=TimeAssessment)
    follow_ups: list[FollowUp] = Field(default_factory=list)
    artifacts: list[Artifact] = Field(default_factory=list)
    review: ReviewAttestation | None = None
    pin_linkage: PinLinkage | None = None
    seal: Seal | None = None
    export: ExportRecord | None = None

    @model_validator(mode="after")
    def _photos_reference_artifacts(self) -> Self:
        known = {a.artifact_id for a in self.artifacts}
        for photo in self.wound.photos:
            if photo.artifact_id not in known:
                raise _problem(
                    "unknown_artifact", say("problem.unknown_artifact")
                )
        measured = self.wound.measurement
        if measured is not None and measured.photo_artifact_id is not None and (
                measured.photo_artifact_id not in {p.artifact_id for p in self.wound.photos}):
            raise _problem("unknown_photo", say("problem.measurement.unknown_photo"))
        return self

    def artifact(self, artifact_id: UUID) -> Artifact | None:
        return next((a for a in self.artifacts if a.artifact_id == artifact_id), None)

    def pending_follow_ups(self) -> list[FollowUp]:
        return [f for f in self.follow_ups if f.status is FollowUpStatus.PENDING]
