"""Code systems and codes used by the export (one table: the mapping doc quotes it).

Wound codes follow the HL7 Lower Extremity Skin Wound Assessment IG (draft, source in the
HL7 fhir-skin-wound-ig repository: WoundSize, WoundBedAppearance, WoundExudateAmountDescription,
WoundEdgeDescription, WoundUnderminingLength/Direction, WoundTunnelingLength/Direction and
their value sets). Vital signs follow the FHIR R4 vital-signs profiles.
"""

from __future__ import annotations

from typing import Any

from woundcare.domain.enums import BodySide, WoundType

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VER = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
MEDIA_TYPE = "http://terminology.hl7.org/CodeSystem/media-type"
PROVENANCE_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
SIGNATURE_TYPE = "urn:iso-astm:E1762-95:2013"
SOURCE_SIGNATURE = "1.2.840.10065.1.12.1.14"
RFC3986 = "urn:ietf:rfc:3986"
#: Local code systems (URNs: nothing to resolve, nothing to collide with).
LOCAL_CONSENT_KIND = "urn:woundcare:fhir:CodeSystem:consent-kind"
LOCAL_PUSH = "urn:woundcare:fhir:CodeSystem:push"
LOCAL_OBSERVATION = "urn:woundcare:fhir:CodeSystem:observation"

VITAL_SIGNS_PROFILE = "http://hl7.org/fhir/StructureDefinition/vitalsigns"


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(system: str, code: str, display: str, text: str | None = None) -> dict[str, Any]:
    return {"coding": [coding(system, code, display)], "text": text or display}


def loinc(code: str, display: str) -> dict[str, Any]:
    return concept(LOINC, code, display)


def quantity(value: float | int, unit: str, code: str | None = None) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": code or unit}


# ---- wound (IG) -------------------------------------------------------------------------

WOUND_SIZE_PANEL = ("72287-6", "Wound size panel")
WOUND_LENGTH = ("39126-8", "Length of Wound")
WOUND_WIDTH = ("39125-0", "Width of Wound")
WOUND_DEPTH = ("39127-6", "Depth of Wound")
WOUND_AREA = ("89260-4", "Area of wound")
WOUND_BED_APPEARANCE = ("72371-8", "Appearance of Wound base")
WOUND_BED_AREA_PCT = ("72370-0", "Area of identified wound bed appearance/Area of wound bed "
                      "of Wound base")
EXUDATE_AMOUNT = ("39116-9", "Drainage amount of Wound")
EDGE_DESCRIPTION = ("72304-9", "Edge of wound description")
UNDERMINING_LENGTH = ("72293-4", "Undermining [Length] of Wound")
UNDERMINING_CLOCK = ("72294-2", "Undermining clock position of Wound")
TUNNELLING_LENGTH = ("72296-7", "Tunneling [Length] of Wound")
TUNNELLING_CLOCK = ("72297-5", "Tunneling clock position of Wound")

#: T.I.M.E. tissue field -> SNOMED CT (woundBedAppearanceVS).
TISSUE: dict[str, tuple[str, str]] = {
    "granulation_pct": ("225541009", "Granulation of tissue"),
    "slough_pct": ("449746002", "Wound slough"),
    "necrotic_pct": ("609410002", "Necrosis of anatomical site"),
    "epithelial_pct": ("449743005", "Wound epithelialization"),
}

#: Exudate level -> SNOMED CT (woundExudateAmountDescriptionVS). ``unknown`` is not sent.
EXUDATE: dict[str, tuple[str, str]] = {
    "none": ("260413007", "None"),
    "scant": ("263865001", "Scanty"),
    "moderate": ("6736007", "Moderate"),
    "heavy": ("255509001", "Large"),
}

#: Edge condition -> SNOMED CT where woundEdgeDescriptionVS has one; text otherwise.
EDGE: dict[str, tuple[str, str] | None] = {
    "attached": ("449748001", "Wound edges attached"),
    "rolled": ("449751008", "Rolled wound edge"),
    "unattached": None,
    "macerated": None,
    "undermined": None,
}

#: Wound type (``record.wound.wound_type``, :class:`WoundType`) -> SNOMED CT (woundTypeVS and
#: common wound findings). Every member has an entry; ``traumatic_wound`` and ``other`` carry
#: the generic *Wound* code (the text names the type).
WOUND_GENERIC = ("416462003", "Wound")
WOUND_TYPE: dict[WoundType, tuple[str, str]] = {
    WoundType.PRESSURE_INJURY: ("399912005", "Pressure sore"),
    WoundType.VENOUS_LEG_ULCER: ("371032004", "Stasis ulcer"),
    WoundType.ARTERIAL_ULCER: ("13954005", "Ischemic ulcer"),
    WoundType.DIABETIC_FOOT_ULCER: ("403601003", "Neuropathic ulcer"),
    WoundType.SURGICAL_WOUND: ("129902007", "Skin incision finding"),
    WoundType.TRAUMATIC_WOUND: WOUND_GENERIC,
    WoundType.BURN: ("284196006", "Burn of skin"),
    WoundType.SKIN_TEAR: ("428220001", "Tear of skin"),
    WoundType.MOISTURE_ASSOCIATED: ("402276007",
                                    "Irritant contact dermatitis due to incontinence"),
    WoundType.OTHER: WOUND_GENERIC,
}

#: Body side (``record.wound.body_site.side``, :class:`BodySide`) -> SNOMED CT (bodySideVS).
#: ``midline`` has no laterality code: it stays in the text only.
BODY_SIDE: dict[BodySide, tuple[str, str]] = {
    BodySide.LEFT: ("7771000", "Left"),
    BodySide.RIGHT: ("24028007", "Right"),
}

# ---- PUSH -----------------------------------------------------------------------------

#: LOINC 90981-2 "Pressure Injury Scale for Healing Tool 3.0 total score [PUSH]" (status
#: active; see docs/fhir-mapping.md for the source). A local coding rides along so that a
#: receiver without the LOINC term still recognises the score.
PUSH_TOTAL = ("90981-2", "Pressure Injury Scale for Healing Tool 3.0 total score [PUSH]")

# ---- vital signs (FHIR R4 vital-signs profiles) -----------------------------------------

VITALS_PANEL = ("85353-1", "Vital signs, weight, height, head circumference, oxygen saturation "
                "and BMI panel")
BP_PANEL = ("85354-9", "Blood pressure panel with all children optional")
SYSTOLIC = ("8480-6", "Systolic blood pressure")
DIASTOLIC = ("8462-4", "Diastolic blood pressure")
HEART_RATE = ("8867-4", "Heart rate")
RESP_RATE = ("9279-1", "Respiratory rate")
BODY_TEMP = ("8310-5", "Body temperature")
SPO2 = ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry")
SPO2_ARTERIAL = ("2708-6", "Oxygen saturation in Arterial blood")
PAIN = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")

VITAL_PROFILES = {
    "panel": "http://hl7.org/fhir/StructureDefinition/vitalspanel",
    "blood_pressure": "http://hl7.org/fhir/StructureDefinition/bp",
    "heart_rate": "http://hl7.org/fhir/StructureDefinition/heartrate",
    "respiratory_rate": "http://hl7.org/fhir/StructureDefinition/resprate",
    "temperature": "http://hl7.org/fhir/StructureDefinition/bodytemp",
    "oxygen_saturation": "http://hl7.org/fhir/StructureDefinition/oxygensat",
}
