"""Wound measurements from a traced outline, on the skin plane the marker defines.

The outline is a closed polygon of photo pixels (``[x, y]``, as traced). Each point is mapped
through the homography onto the plane (centimetres), where:

* **area** is the polygon's area (shoelace formula), cm^2;
* **perimeter** is the length of the closed polygon, cm;
* **length** is the longest diameter: the greatest distance between two outline points;
* **width** is the greatest extent of the outline perpendicular to that length.

The convention (``LENGTH_CONVENTION``) is recorded with every measurement: it is not the
head-to-toe convention, which depends on how the patient lies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from woundcare.messages import say

LENGTH_CONVENTION = "longest_diameter_and_perpendicular"
METHOD_TRACED = "traced_outline"
MAX_POINTS = 5000
MIN_POINTS = 3


class OutlineError(ValueError):
    """The outline cannot be measured; ``code`` names the reason."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class OutlineMeasurement:
    area_cm2: float
    perimeter_cm: float
    length_cm: float
    width_cm: float
    length_endpoints_px: tuple[tuple[float, float], tuple[float, float]]
    points: int
    length_convention: str = LENGTH_CONVENTION

    def as_dict(self) -> dict[str, Any]:
        return {"area_cm2": round(self.area_cm2, 4), "perimeter_cm": round(self.perimeter_cm, 4),
                "length_cm": round(self.length_cm, 4), "width_cm": round(self.width_cm, 4),
                "length_convention": self.length_convention,
                "length_endpoints_px": [[round(v, 2) for v in p]
                                        for p in self.length_endpoints_px],
                "outline_points": self.points}


def shoelace_area(points: np.ndarray) -> float:
    """Area of a simple polygon (N x 2), by the shoelace formula (always positive)."""
    x, y = points[:, 0], points[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2.0)


def perimeter(points: np.ndarray) -> float:
    return float(np.linalg.norm(points - np.roll(points, -1, axis=0), axis=1).sum())


def length_and_width(points: np.ndarray) -> tuple[float, float, int, int]:
    """Longest diameter, greatest perpendicular extent, and the diameter's end indices."""
    hull_idx = cv2.convexHull(points.astype(np.float32).reshape(-1, 1, 2),
                              returnPoints=False).ravel()
    hull = points[hull_idx]
    diff = hull[:, None, :] - hull[None, :, :]
    dist = np.einsum("ijk,ijk->ij", diff, diff)
    i, j = np.unravel_index(int(np.argmax(dist)), dist.shape)
    length = float(np.sqrt(dist[i, j]))
    if length == 0:
        return 0.0, 0.0, int(hull_idx[i]), int(hull_idx[j])
    axis = (hull[j] - hull[i]) / length
    normal = np.array([-axis[1], axis[0]])
    across = hull @ normal
    return length, float(across.max() - across.min()), int(hull_idx[i]), int(hull_idx[j])


def _segments_cross(points: np.ndarray) -> bool:
    """Does the closed polygon cross itself (proper crossings of non-adjacent edges)?"""
    n = len(points)
    a = points
    b = np.roll(points, -1, axis=0)
    for start in range(0, n, 256):  # chunked: n x 256 pairs at a time
        stop = min(n, start + 256)
        p, q = a[start:stop, None, :], b[start:stop, None, :]
        r, s = a[None, :, :], b[None, :, :]

        def orient(u: np.ndarray, v: np.ndarray, w: np.ndarray) -> np.ndarray:
            return np.asarray(np.sign((v[..., 0] - u[..., 0]) * (w[..., 1] - u[..., 1])
                                      - (v[..., 1] - u[..., 1]) * (w[..., 0] - u[..., 0])))

        o1, o2 = orient(p, q, r), orient(p, q, s)
        o3, o4 = orient(r, s, p), orient(r, s, q)
        crossing = (o1 * o2 < 0) & (o3 * o4 < 0)
        idx_i = np.arange(start, stop)[:, None]
        idx_j = np.arange(n)[None, :]
        gap = np.abs(idx_i - idx_j)
        adjacent = (gap <= 1) | (gap == n - 1)
        if np.any(crossing & ~adjacent):
            return True
    return False


def validate_outline(raw: Any, image_size: tuple[int, int] | None = None) -> np.ndarray:
    """An outline as sent (a list of ``[x, y]``) checked and as an N x 2 float array."""
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
        raise OutlineError("outline_format", say("problem.outline.not_a_list"))
    try:
        points = np.array([[float(p[0]), float(p[1])] for p in raw if len(p) == 2],
                          dtype=np.float64)
    except (TypeError, ValueError, IndexError):
        raise OutlineError("outline_format", say("problem.outline.point_numbers")) from None
    if len(points) != len(raw):
        raise OutlineError("outline_format", say("problem.outline.point_pair"))
    if len(points) > 1 and np.allclose(points[0], points[-1]):
        points = points[:-1]  # closed explicitly: drop the repeated first point
    if len(points) < MIN_POINTS:
        raise OutlineError("outline_too_short", say("problem.outline.too_short", count=MIN_POINTS))
    if len(points) > MAX_POINTS:
        raise OutlineError("outline_too_long", say("problem.outline.too_long", count=MAX_POINTS))
    if not np.isfinite(points).all():
        raise OutlineError("outline_format", say("problem.outline.not_finite"))
    if image_size is not None:
        width, height = image_size
        if ((points < -0.5).any() or (points[:, 0] > width - 0.5).any()
                or (points[:, 1] > height - 0.5).any()):
            raise OutlineError("outline_outside_photo", say("problem.outline.outside_photo"))
    if shoelace_area(points) <= 0:
        raise OutlineError("outline_degenerate", say("problem.outline.no_area"))
    if _segments_cross(points):
        raise OutlineError("outline_self_intersecting", say("problem.outline.self_intersecting"))
    return np.asarray(points, dtype=np.float64)


def to_plane(points_px: np.ndarray, image_to_plane: np.ndarray) -> np.ndarray:
    """Photo pixels -> plane centimetres; refuses points beyond the plane's horizon."""
    homogeneous = np.column_stack([points_px, np.ones(len(points_px))]) @ image_to_plane.T
    w = homogeneous[:, 2]
    if (w <= 1e-9).any():  # the detector scales the homography so that w = 1 at the marker
        raise OutlineError("outline_off_plane", say("problem.outline.off_plane"))
    return np.asarray(homogeneous[:, :2] / w[:, None], dtype=np.float64)


def measure_outline(points_px: np.ndarray, image_to_plane: np.ndarray) -> OutlineMeasurement:
    """Area, perimeter, length and width of a (validated) photo-pixel outline on the plane."""
    plane = to_plane(points_px, image_to_plane)
    length, width, i, j = length_and_width(plane)
    return OutlineMeasurement(
        area_cm2=shoelace_area(plane), perimeter_cm=perimeter(plane), length_cm=length,
        width_cm=width,
        length_endpoints_px=((float(points_px[i, 0]), float(points_px[i, 1])),
                             (float(points_px[j, 0]), float(points_px[j, 1]))),
        points=len(points_px))


def measure_photo(image: np.ndarray, outline: Any, marker_size_cm: float) -> dict[str, Any]:
    """Detect the marker in ``image`` (BGR) and measure ``outline`` on its plane.

    Returns the JSON the CLI prints and the server stores: ``marker_detected``,
    ``cm_per_pixel``, the four measurements (``None`` without a usable marker), ``method``,
    the convention, the marker's problems and its colour reference."""
    from woundcare.imaging.detect import detect_marker

    height, width = image.shape[:2]
    points = validate_outline(outline, (width, height))
    detection = detect_marker(image, marker_size_cm)
    body: dict[str, Any] = {**detection.as_dict(), "method": METHOD_TRACED,
                            "length_convention": LENGTH_CONVENTION,
                            "image_size_px": [width, height],
                            "area_cm2": None, "perimeter_cm": None, "length_cm": None,
                            "width_cm": None, "outline_points": len(points)}
    if detection.usable and detection.image_to_plane is not None:
        body.update(measure_outline(points, detection.image_to_plane).as_dict())
    return body
