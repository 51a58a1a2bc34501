"""PUSH 3.0 (Pressure Ulcer Scale for Healing, NPIAP/NPUAP) computed from the record.

Attribution and terms: PUSH Tool 3.0 (c) National Pressure Injury Advisory Panel (NPIAP,
formerly NPUAP). Free for non-commercial use with credit to the NPIAP; commercial use needs
the NPIAP's permission. The setting ``WOUNDCARE_PUSH_ENABLED=false`` turns the score off.

* Length x width (cm^2), rounded to 0.1 cm^2, scored 0-10: 0 -> 0; < 0.3 -> 1;
  0.3-0.6 -> 2; 0.7-1.0 -> 3; 1.1-2.0 -> 4; 2.1-3.0 -> 5; 3.1-4.0 -> 6; 4.1-8.0 -> 7;
  8.1-12.0 -> 8; 12.1-24.0 -> 9; > 24.0 -> 10.
* Exudate amount 0-3: none 0, light (our "scant") 1, moderate 2, heavy 3.
* Tissue type 0-4, the worst present: closed 0, epithelial 1, granulation 2, slough 3,
  necrotic 4.
* Total 0-17.

The score is a number computed from documented facts; the system draws no conclusion from it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from woundcare.domain.enums import ExudateLevel
from woundcare.domain.record import CaseRecord

ATTRIBUTION = ("PUSH Tool 3.0 (c) National Pressure Injury Advisory Panel (NPIAP, formerly "
               "NPUAP). Free for non-commercial use with credit to the NPIAP; commercial use "
               "requires the NPIAP's permission.")

# Upper bound (inclusive, in tenths of cm^2) of each area band, scores 1..9; above: 10.
_AREA_BANDS_TENTHS: tuple[tuple[int, int], ...] = (
    (2, 1), (6, 2), (10, 3), (20, 4), (30, 5), (40, 6), (80, 7), (120, 8), (240, 9),
)
_EXUDATE = {ExudateLevel.NONE: 0, ExudateLevel.SCANT: 1, ExudateLevel.MODERATE: 2,
            ExudateLevel.HEAVY: 3}


class PushScore(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    area_score: Annotated[int, Field(ge=0, le=10)]
    exudate_score: Annotated[int, Field(ge=0, le=3)]
    tissue_score: Annotated[int, Field(ge=0, le=4)]
    total: Annotated[int, Field(ge=0, le=17)]
    area_cm2_used: Annotated[float, Field(ge=0)]  # length x width, rounded to 0.1
    attribution: str = ATTRIBUTION


def round_tenth(value: float) -> Decimal:
    """Round half up to 0.1 (2.05 -> 2.1), on the decimal value as written."""
    return Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def area_score(length_times_width_cm2: float) -> int:
    tenths = int(round_tenth(length_times_width_cm2) * 10)
    if tenths <= 0:
        return 0
    for upper, score in _AREA_BANDS_TENTHS:
        if tenths <= upper:
            return score
    return 10


def tissue_score(record: CaseRecord, closed: bool) -> int | None:
    if closed:
        return 0
    tissue = record.time_assessment.tissue
    if tissue.necrotic_pct:
        return 4
    if tissue.slough_pct:
        return 3
    if tissue.granulation_pct:
        return 2
    if tissue.epithelial_pct:
        return 1
    return None


def compute_push(record: CaseRecord) -> PushScore | None:
    """The record's PUSH score, or ``None`` while length, width, exudate or tissue type is not
    documented (a wound measured 0 x 0 is closed: area 0, tissue 0)."""
    measurement = record.wound.measurement
    if measurement is None:
        return None
    product = measurement.length_times_width()
    if product is None:
        return None
    rounded = float(round_tenth(product))
    closed = rounded == 0
    exudate = record.time_assessment.moisture.exudate_level
    exudate_points: int | None = None
    if exudate is not None and exudate in _EXUDATE:
        exudate_points = _EXUDATE[exudate]
    elif closed:
        exudate_points = 0
    tissue = tissue_score(record, closed)
    if exudate_points is None or tissue is None:
        return None
    area = area_score(product)
    return PushScore(area_score=area, exudate_score=exudate_points, tissue_score=tissue,
                     total=area + exudate_points + tissue, area_cm2_used=rounded)
