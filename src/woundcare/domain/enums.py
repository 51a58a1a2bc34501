"""Enumerations of the case record and the workflow (stable string values: a contract)."""

from __future__ import annotations

from enum import StrEnum


class WorkflowState(StrEnum):
    START = "START"
    BIO_INTAKE = "BIO_INTAKE"
    WOUND_IMAGING = "WOUND_IMAGING"
    VITALS = "VITALS"
    TIME = "TIME"
    FOLLOW_UP = "FOLLOW_UP"
    REVIEW = "REVIEW"
    ASSEMBLE_JSON = "ASSEMBLE_JSON"
    LINK_TO_CLINICIAN = "LINK_TO_CLINICIAN"
    STORE_SYNC = "STORE_SYNC"
    DONE = "DONE"


class WorkflowEvent(StrEnum):
    BEGIN = "BEGIN"
    BIO_CONFIRMED = "BIO_CONFIRMED"
    IMAGING_CONFIRMED = "IMAGING_CONFIRMED"
    VITALS_CAPTURED = "VITALS_CAPTURED"
    TIME_CAPTURED = "TIME_CAPTURED"
    FOLLOW_UP_RESOLVED = "FOLLOW_UP_RESOLVED"
    REVIEW_COMPLETED = "REVIEW_COMPLETED"
    JSON_ASSEMBLED = "JSON_ASSEMBLED"
    CLINICIAN_LINKED = "CLINICIAN_LINKED"
    STORED = "STORED"
    ROLLBACK = "ROLLBACK"
    RESET = "RESET"


class CaseStatus(StrEnum):
    DRAFT = "draft"
    READY_FOR_REVIEW = "ready_for_review"
    LOCKED = "locked"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    INTERSEX = "intersex"
    UNSPECIFIED = "unspecified"


class ConsentStatus(StrEnum):
    NOT_RECORDED = "not_recorded"
    GRANTED = "granted"
    DECLINED = "declined"


class ConsentKind(StrEnum):
    DATA_STORAGE = "data_storage"
    PHOTOGRAPHY = "photography"
    TEAM_BOARD_SHARING = "team_board_sharing"


class ConsentMethod(StrEnum):
    VERBAL = "verbal"
    WRITTEN = "written"
    ELECTRONIC = "electronic"
    UNKNOWN = "unknown"


class Orientation(StrEnum):
    ANTERIOR = "anterior"
    POSTERIOR = "posterior"
    LATERAL = "lateral"
    SUPERIOR = "superior"
    INFERIOR = "inferior"
    UNSPECIFIED = "unspecified"


class CheckResult(StrEnum):
    PASS = "pass"  # noqa: S105 - a check outcome, not a password
    FAIL = "fail"
    UNKNOWN = "unknown"


class PainScale(StrEnum):
    NRS = "nrs"
    VRS = "vrs"
    FLACC = "flacc"
    UNKNOWN = "unknown"


class TemperatureUnit(StrEnum):
    C = "C"
    F = "F"


class TemperatureSite(StrEnum):
    ORAL = "oral"
    AXILLARY = "axillary"
    TYMPANIC = "tympanic"
    TEMPORAL = "temporal"
    RECTAL = "rectal"
    UNKNOWN = "unknown"


class MeasurementMethod(StrEnum):
    MANUAL = "manual"
    DEVICE = "device"
    UNKNOWN = "unknown"


class ExudateLevel(StrEnum):
    NONE = "none"
    SCANT = "scant"
    MODERATE = "moderate"
    HEAVY = "heavy"
    UNKNOWN = "unknown"


class ExudateConsistency(StrEnum):
    SEROUS = "serous"
    SANGUINEOUS = "sanguineous"
    SEROSANGUINEOUS = "serosanguineous"
    PURULENT = "purulent"
    OTHER = "other"
    UNKNOWN = "unknown"


class DressingSaturation(StrEnum):
    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"
    UNKNOWN = "unknown"


class Presence(StrEnum):
    ABSENT = "absent"
    PRESENT = "present"
    UNKNOWN = "unknown"


class EdgeCondition(StrEnum):
    ATTACHED = "attached"
    UNATTACHED = "unattached"
    ROLLED = "rolled"
    MACERATED = "macerated"
    UNDERMINED = "undermined"
    UNKNOWN = "unknown"


class FollowUpStatus(StrEnum):
    PENDING = "pending"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class FollowUpReason(StrEnum):
    MISSING = "missing"
    CONTRADICTION = "contradiction"
    AMBIGUOUS = "ambiguous"


class ArtifactKind(StrEnum):
    IMAGE = "image"
    AUDIO = "audio"
    DOCUMENT = "document"


class ActorKind(StrEnum):
    PERSON = "person"
    AGENT = "agent"
    SYSTEM = "system"


# ---------------------------------------------------------------- wound documentation


class WoundType(StrEnum):
    PRESSURE_INJURY = "pressure_injury"
    VENOUS_LEG_ULCER = "venous_leg_ulcer"
    ARTERIAL_ULCER = "arterial_ulcer"
    DIABETIC_FOOT_ULCER = "diabetic_foot_ulcer"
    SURGICAL_WOUND = "surgical_wound"
    TRAUMATIC_WOUND = "traumatic_wound"
    BURN = "burn"
    SKIN_TEAR = "skin_tear"
    MOISTURE_ASSOCIATED = "moisture_associated"
    OTHER = "other"


class PressureInjuryStage(StrEnum):
    """NPIAP pressure-injury stages."""

    STAGE_1 = "stage_1"
    STAGE_2 = "stage_2"
    STAGE_3 = "stage_3"
    STAGE_4 = "stage_4"
    UNSTAGEABLE = "unstageable"
    DEEP_TISSUE_INJURY = "deep_tissue_injury"


class BodyRegion(StrEnum):
    """Regions of the console's body map (front and back views)."""

    HEAD = "head"
    FACE = "face"
    EAR = "ear"
    OCCIPUT = "occiput"
    NECK = "neck"
    SHOULDER = "shoulder"
    CHEST = "chest"
    ABDOMEN = "abdomen"
    UPPER_BACK = "upper_back"
    LOWER_BACK = "lower_back"
    SACRUM = "sacrum"
    COCCYX = "coccyx"
    BUTTOCK = "buttock"
    ISCHIUM = "ischium"
    HIP = "hip"
    GROIN = "groin"
    PERINEUM = "perineum"
    UPPER_ARM = "upper_arm"
    ELBOW = "elbow"
    FOREARM = "forearm"
    WRIST = "wrist"
    HAND = "hand"
    THIGH = "thigh"
    KNEE = "knee"
    LOWER_LEG = "lower_leg"
    ANKLE = "ankle"
    HEEL = "heel"
    FOOT = "foot"
    TOE = "toe"


class BodySide(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    MIDLINE = "midline"


class BodyView(StrEnum):
    ANTERIOR = "anterior"
    POSTERIOR = "posterior"


class PeriwoundCondition(StrEnum):
    INTACT = "intact"
    MACERATED = "macerated"
    ERYTHEMATOUS = "erythematous"
    INDURATED = "indurated"
    DRY_SCALY = "dry_scaly"
    EXCORIATED = "excoriated"
    CALLUSED = "callused"
    OEDEMATOUS = "oedematous"


class WoundMeasurementMethod(StrEnum):
    TRACED_OUTLINE = "traced_outline"  # traced on a photo beside the calibration marker
    RULER_LENGTH_WIDTH = "ruler_length_width"  # length x width typed from a ruler
