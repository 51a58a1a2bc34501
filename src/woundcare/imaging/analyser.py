"""Measures a photo's pixels: size, focus (variance of the Laplacian), exposure, glare, and
whether the brightest-contrast region sits near the centre, and the calibration marker (found
and clear, found with problems, or not found). The quality *rules* live in
``woundcare.domain.imaging``; this module only measures."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageOps

from woundcare.domain.imaging import ImageAnalysis
from woundcare.imaging.detect import detect_marker
from woundcare.imaging.marker import DEFAULT_SIZE_CM

_ANALYSIS_SIDE = 512  # downscale before measuring: fast and resolution-independent


def _laplacian_variance(grey: np.ndarray) -> float:
    g = grey.astype(np.float64)
    lap = (
        -4 * g[1:-1, 1:-1] + g[:-2, 1:-1] + g[2:, 1:-1] + g[1:-1, :-2] + g[1:-1, 2:]
    )
    return float(lap.var())


def _centred(grey: np.ndarray) -> bool:
    """Is the region of strongest detail within the middle of the frame?"""
    g = grey.astype(np.float64)
    detail = np.abs(np.diff(g, axis=0))[:, :-1] + np.abs(np.diff(g, axis=1))[:-1, :]
    total = detail.sum()
    if total == 0:
        return False
    ys, xs = np.indices(detail.shape)
    cy = float((ys * detail).sum() / total) / detail.shape[0]
    cx = float((xs * detail).sum() / total) / detail.shape[1]
    return bool(0.25 <= cx <= 0.75 and 0.25 <= cy <= 0.75)


def analyse_image(data: bytes, marker_size_cm: float = DEFAULT_SIZE_CM) -> ImageAnalysis:
    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)
        width, height = image.size
        rgb = np.asarray(image.convert("RGB"))
        grey_img = image.convert("L")
        grey_img.thumbnail((_ANALYSIS_SIDE, _ANALYSIS_SIDE))
        grey = np.asarray(grey_img)
    marker = detect_marker(np.ascontiguousarray(rgb[..., ::-1]), marker_size_cm)
    return ImageAnalysis(
        width=width,
        height=height,
        sharpness=round(_laplacian_variance(grey), 2),
        brightness=round(float(grey.mean()), 2),
        clipped_fraction=round(float((grey >= 250).mean()), 4),
        subject_centred=_centred(grey),
        scale_marker_detected=marker.ok if marker.found else None,
        scale_marker_problems=",".join(marker.problems) if marker.found and marker.problems
        else None,
        cm_per_pixel=marker.cm_per_pixel if marker.usable else None,
        identifier_label_detected=None,
    )
