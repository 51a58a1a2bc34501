"""Measuring a traced outline on a stored photo (the same code as ``woundcare measure``), and
the photo rectified onto the marker's plane for side-by-side comparison of visits."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import cv2
import numpy as np

from woundcare.domain.enums import ArtifactKind
from woundcare.domain.inputs import TracedMeasurementInput
from woundcare.imaging.detect import decode_image, detect_marker, rectify
from woundcare.imaging.measure import OutlineError, measure_photo
from woundcare.messages import say
from woundcare.service.audit import Caller, record_audit
from woundcare.service.cases import CaseService
from woundcare.service.errors import ApiError, field_error
from woundcare.service.results import ApiResult, IdempotencyRequest
from woundcare.service.uploads import UploadService

RECTIFIED_REACH_CM = 12.0  # the rectified view reaches this far from the marker


class MeasurementService:
    def __init__(self, cases: CaseService, uploads: UploadService) -> None:
        self.cases = cases
        self.uploads = uploads
        self.rt = cases.rt

    def _photo(self, caller: Caller, case_id: UUID, artifact_id: UUID, action: str
               ) -> np.ndarray:
        """The decrypted photo as pixels (the read is audited)."""
        with self.cases.workspace(caller) as ws:
            record, artifact, data = self.uploads._read(ws, caller, case_id, artifact_id)
            if artifact.kind is not ArtifactKind.IMAGE:
                raise ApiError(422, "not_an_image", "Only photos can be measured.")
            record_audit(ws.uow, caller, action, record=record, agent="wound_imaging",
                         detail={"artifact_id": str(artifact_id)})
        try:
            return decode_image(data)
        except (OSError, ValueError, SyntaxError):
            raise ApiError(415, "unreadable_image", "The image could not be read.") from None

    def _measure(self, image: np.ndarray, outline: list[list[float]],
                 marker_size_cm: float | None) -> dict[str, Any]:
        size = marker_size_cm or self.rt.settings.marker_size_cm
        try:
            return measure_photo(image, outline, size)
        except OutlineError as exc:
            raise field_error("outline", exc.code, exc.message) from None

    def preview(self, caller: Caller, case_id: UUID, artifact_id: UUID,
                outline: list[list[float]], marker_size_cm: float | None) -> ApiResult:
        image = self._photo(caller, case_id, artifact_id, "measurement.preview")
        return ApiResult(200, self._measure(image, outline, marker_size_cm))

    def save(self, caller: Caller, case_id: UUID, artifact_id: UUID, expected_version: int,
             idem: IdempotencyRequest | None, outline: list[list[float]],
             marker_size_cm: float | None) -> ApiResult:
        image = self._photo(caller, case_id, artifact_id, "measurement.read")
        result = self._measure(image, outline, marker_size_cm)
        if result["area_cm2"] is None:
            problems = list(result["marker_problems"]) or ["not_found"]
            raise field_error("photo", "marker_not_usable",
                              say("error.api.marker_not_usable", problems=problems))
        step_input = TracedMeasurementInput(
            photo_artifact_id=artifact_id,
            outline=[(float(x), float(y)) for x, y in outline],
            marker_detected=True, cm_per_pixel=result["cm_per_pixel"],
            length_cm=result["length_cm"], width_cm=result["width_cm"],
            area_cm2=result["area_cm2"], perimeter_cm=result["perimeter_cm"],
            length_convention=result["length_convention"])
        return self.cases.write(
            caller, case_id, expected_version, idem, action="case.step.measurement",
            agent="wound_imaging", detail={"artifact_id": str(artifact_id)},
            step=lambda ws: ws.orchestrator.submit(case_id, step_input, ws.actor,
                                                   expected_version=expected_version))

    def rectified(self, caller: Caller, case_id: UUID, artifact_id: UUID, px_per_cm: float,
                  marker_size_cm: float | None) -> tuple[bytes, dict[str, str]]:
        """The photo seen straight on at ``px_per_cm``, marker axes aligned with the image's,
        covering what the photo shows within ``RECTIFIED_REACH_CM`` of the marker."""
        image = self._photo(caller, case_id, artifact_id, "artifact.rectified")
        size = marker_size_cm or self.rt.settings.marker_size_cm
        found = detect_marker(image, size)
        if not found.usable or found.image_to_plane is None:
            raise field_error("photo", "marker_not_usable",
                              "No clear calibration marker in this photo: it cannot be shown "
                              "to scale.")
        height, width = image.shape[:2]
        frame = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]],
                         dtype=np.float64).reshape(-1, 1, 2)
        plane = cv2.perspectiveTransform(frame, found.image_to_plane).reshape(-1, 2)
        reach = RECTIFIED_REACH_CM
        x0 = max(float(plane[:, 0].min()), -reach)
        y0 = max(float(plane[:, 1].min()), -reach)
        x1 = min(float(plane[:, 0].max()), size + reach)
        y1 = min(float(plane[:, 1].max()), size + reach)
        out = rectify(image, found, px_per_cm, (x0, y0, x1, y1))
        ok, png = cv2.imencode(".png", out)
        if not ok:  # pragma: no cover
            raise ApiError(500, "internal_error", "The image could not be encoded.")
        headers = {"X-Woundcare-Origin-Px": f"{-x0 * px_per_cm:.1f},{-y0 * px_per_cm:.1f}",
                   "X-Woundcare-Px-Per-Cm": f"{px_per_cm:g}", "Cache-Control": "no-store"}
        return bytes(png.tobytes()), headers
