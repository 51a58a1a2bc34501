"""Photo quality: measurements of the pixels (computed by an adapter) and the checklist rules.

The measuring is done outside the domain (it needs an image library); the rules that turn
measurements into ``pass``/``fail``/``unknown`` and neutral retake requests live here.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from woundcare.domain.enums import CheckResult
from woundcare.domain.record import QualityChecklist
from woundcare.messages import say

MIN_SHORT_SIDE_PX = 480
MIN_SHARPNESS = 60.0  # variance of the Laplacian on a 0-255 grey image
BRIGHTNESS_RANGE = (60.0, 200.0)  # mean grey level
MAX_CLIPPED_FRACTION = 0.08  # share of blown-out (>=250) pixels: glare


class ImageAnalysis(BaseModel):
    """What an image analyser measured. ``None`` means it could not tell."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    width: Annotated[int, Field(ge=1)]
    height: Annotated[int, Field(ge=1)]
    sharpness: Annotated[float, Field(ge=0)] | None = None
    brightness: Annotated[float, Field(ge=0, le=255)] | None = None
    clipped_fraction: Annotated[float, Field(ge=0, le=1)] | None = None
    subject_centred: bool | None = None
    # True: the calibration marker was found and is clear; False: found but too small,
    # blurred, partly hidden or badly lit; None: no marker found (a ruler may be in view).
    scale_marker_detected: bool | None = None
    scale_marker_problems: str | None = None  # comma-separated problem codes
    cm_per_pixel: Annotated[float, Field(gt=0, le=10)] | None = None  # at the marker
    identifier_label_detected: bool | None = None


RETAKE_REQUESTS = {
    check: say(f"retake.{check}")
    for check in ("framing", "focus", "lighting", "scale", "identifier")
}


def _check(ok: bool | None) -> CheckResult:
    if ok is None:
        return CheckResult.UNKNOWN
    return CheckResult.PASS if ok else CheckResult.FAIL


def checklist_from_analysis(analysis: ImageAnalysis) -> QualityChecklist:
    large_enough = min(analysis.width, analysis.height) >= MIN_SHORT_SIDE_PX
    framing = large_enough and analysis.subject_centred is not False
    lighting: bool | None = None
    if analysis.brightness is not None:
        low, high = BRIGHTNESS_RANGE
        lighting = low <= analysis.brightness <= high and (
            analysis.clipped_fraction is None or analysis.clipped_fraction <= MAX_CLIPPED_FRACTION
        )
    focus = None if analysis.sharpness is None else analysis.sharpness >= MIN_SHARPNESS
    return QualityChecklist(
        framing=_check(framing),
        focus=_check(focus),
        lighting=_check(lighting),
        scale=_check(analysis.scale_marker_detected),
        identifier=_check(analysis.identifier_label_detected),
    )


def retake_requests(checklist: QualityChecklist) -> list[str]:
    """Neutral requests for each failed check (never a clinical statement)."""
    return [RETAKE_REQUESTS[name] for name in checklist.failed()]
