"""Measurement maths against analytic shapes, on flat and tilted planes; outline validation;
the ``woundcare measure`` command."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from woundcare.cli import _register, app
from woundcare.imaging.measure import (
    LENGTH_CONVENTION,
    OutlineError,
    length_and_width,
    measure_outline,
    measure_photo,
    perimeter,
    shoelace_area,
    validate_outline,
)
from woundcare.imaging.synthetic import (
    Camera,
    camera_homography,
    ellipse_outline,
    make_scene,
    synthetic_wound_photo,
)


def ellipse(a: float, b: float, n: int = 4000, angle: float = 0.0,
            centre: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    c, s = math.cos(angle), math.sin(angle)
    x, y = a * np.cos(t), b * np.sin(t)
    return np.column_stack([c * x - s * y + centre[0], s * x + c * y + centre[1]])


def ellipse_perimeter(a: float, b: float) -> float:  # Ramanujan II (error << 1e-6 here)
    h = ((a - b) / (a + b)) ** 2
    return math.pi * (a + b) * (1 + 3 * h / (10 + math.sqrt(4 - 3 * h)))


def tilted_homography(tilt: float, azimuth: float = 25.0) -> np.ndarray:
    """cm -> photo pixels for a camera tilted ``tilt`` degrees (a real perspective)."""
    scene = make_scene(ellipse_outline(10.0, 1.3, 0, (0.0, 0.0)))
    return camera_homography(scene, Camera(tilt_deg=tilt, azimuth_deg=azimuth, px_per_cm=60))


def project(h: np.ndarray, pts: np.ndarray) -> np.ndarray:
    hom = np.column_stack([pts, np.ones(len(pts))]) @ h.T
    return hom[:, :2] / hom[:, 2:]


def test_shoelace_of_polygons() -> None:
    square = np.array([[0, 0], [3, 0], [3, 3], [0, 3]], dtype=float)
    assert shoelace_area(square) == 9
    assert shoelace_area(square[::-1]) == 9  # orientation does not matter
    l_shape = np.array([[0, 0], [4, 0], [4, 1], [1, 1], [1, 3], [0, 3]], dtype=float)
    assert shoelace_area(l_shape) == 6
    assert perimeter(l_shape) == 14


def test_ellipse_area_perimeter_length_width() -> None:
    a, b = 3.0, 1.25
    pts = ellipse(a, b, angle=0.7, centre=(5, -2))
    assert shoelace_area(pts) == pytest.approx(math.pi * a * b, rel=1e-5)
    assert perimeter(pts) == pytest.approx(ellipse_perimeter(a, b), rel=1e-5)
    length, width, _, _ = length_and_width(pts)
    assert length == pytest.approx(2 * a, rel=1e-6)
    assert width == pytest.approx(2 * b, rel=1e-6)


def test_rectangle_length_is_its_diagonal_and_width_is_perpendicular_to_it() -> None:
    w, h = 4.0, 3.0
    rect = np.array([[0, 0], [w, 0], [w, h], [0, h]])
    length, width, _, _ = length_and_width(rect)
    assert length == pytest.approx(5.0)
    assert width == pytest.approx(2 * w * h / 5.0)  # the other corners' spread across it


@pytest.mark.parametrize("tilt", [0.0, 15.0, 30.0, 45.0, 60.0])
def test_measurements_are_made_on_the_rectified_plane(tilt: float) -> None:
    h = tilted_homography(tilt)
    a, b = 2.5, 1.5
    plane = ellipse(a, b, angle=0.3)
    photo_px = project(h, plane)
    m = measure_outline(photo_px, np.linalg.inv(h))
    assert m.area_cm2 == pytest.approx(math.pi * a * b, rel=1e-5)
    assert m.perimeter_cm == pytest.approx(ellipse_perimeter(a, b), rel=1e-5)
    assert m.length_cm == pytest.approx(2 * a, rel=1e-5)
    assert m.width_cm == pytest.approx(2 * b, rel=1e-5)
    assert m.length_convention == LENGTH_CONVENTION
    if tilt >= 30:  # the photo's own pixel area is not proportional to the true area
        assert shoelace_area(photo_px) / shoelace_area(project(h, plane * 0.5)) == \
            pytest.approx(4, rel=1e-2)
        m_plain = shoelace_area(photo_px) / shoelace_area(project(tilted_homography(0), plane))
        assert abs(m_plain - 1) > 0.05


@settings(max_examples=60, deadline=None)
@given(st.floats(0.3, 5.0), st.floats(0.2, 3.0), st.floats(0, math.pi),
       st.floats(0.5, 3.0), st.floats(-1, 1), st.floats(-1, 1))
def test_area_scales_with_any_affine_map(a: float, b: float, angle: float, scale: float,
                                         shear: float, shift: float) -> None:
    pts = ellipse(a, b, n=600, angle=angle)
    m = np.array([[scale, shear], [0.0, 1.0 / scale + 0.1]])
    mapped = pts @ m.T + shift
    assert shoelace_area(mapped) == pytest.approx(shoelace_area(pts) * abs(np.linalg.det(m)),
                                                  rel=1e-9)
    length, width, _, _ = length_and_width(mapped)
    assert width <= length + 1e-9
    hull_area = shoelace_area(mapped)
    assert length * width >= hull_area - 1e-9  # L x W bounds a convex shape's area


@pytest.mark.parametrize(("raw", "code"), [
    ([[0, 0], [1, 1]], "outline_too_short"),
    ("0,0 1,1 2,2", "outline_format"),
    ([[0, 0], [1, "x"], [2, 2]], "outline_format"),
    ([[0, 0], [1], [2, 2]], "outline_format"),
    ([[0, 0], [1, 1], [2, 2]], "outline_degenerate"),
    ([[0, 0], [4, 4], [4, 0], [0, 3]], "outline_self_intersecting"),
    ([[0, 0], [10, 0], [10, 10], [0, float("nan")]], "outline_format"),
    ([[0, 0], [5000, 0], [10, 10]], "outline_outside_photo"),
])
def test_bad_outlines_are_refused_with_a_reason(raw: object, code: str) -> None:
    with pytest.raises(OutlineError) as caught:
        validate_outline(raw, (1000, 800))
    assert caught.value.code == code


def test_closed_outline_repeating_its_first_point_is_accepted() -> None:
    pts = validate_outline([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], (100, 100))
    assert len(pts) == 4


def test_points_beyond_the_planes_horizon_are_refused() -> None:
    h = tilted_homography(70.0)
    inv = np.linalg.inv(h)
    inv /= (inv @ np.array([800.0, 600.0, 1.0]))[2]  # w = 1 at the photo's centre
    # the horizon: w(x, y) = 0; go 50 px beyond it, on the side away from the photo's centre
    w_row = inv[2]
    y_horizon = -(w_row[0] * 800 + w_row[2]) / w_row[1]
    beyond = y_horizon + 50 * np.sign(y_horizon - 600)
    far = np.array([[800.0, beyond], [900.0, beyond], [850.0, beyond + 40 * np.sign(beyond)]])
    with pytest.raises(OutlineError) as caught:
        measure_outline(far, inv)
    assert caught.value.code in ("outline_off_plane",)


def test_measure_photo_on_a_synthetic_photo() -> None:
    photo, trace = synthetic_wound_photo(11, area_cm2=9.0, tilt_deg=30)
    result = measure_photo(photo.bgr, trace.tolist(), 2.0)
    assert result["marker_detected"] is True
    assert result["method"] == "traced_outline"
    assert result["area_cm2"] == pytest.approx(9.0, rel=0.03)
    length, width = photo.scene.length_width_cm
    assert result["length_cm"] == pytest.approx(length, rel=0.03)
    assert result["width_cm"] == pytest.approx(width, rel=0.04)
    # a wrong marker size scales everything: 4 cm marker -> 4x the area
    double = measure_photo(photo.bgr, trace.tolist(), 4.0)
    assert double["area_cm2"] == pytest.approx(4 * result["area_cm2"], rel=1e-3)


def test_measure_command_prints_json(tmp_path: Path) -> None:
    photo, trace = synthetic_wound_photo(12, area_cm2=4.0, tilt_deg=20)
    (tmp_path / "w.jpg").write_bytes(photo.jpeg(95))
    (tmp_path / "o.json").write_text(json.dumps(trace.tolist()))
    _register()
    runner = CliRunner()
    result = runner.invoke(app, ["measure", str(tmp_path / "w.jpg"), "--outline",
                                 str(tmp_path / "o.json")])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    for key in ("marker_detected", "cm_per_pixel", "area_cm2", "perimeter_cm", "length_cm",
                "width_cm", "method"):
        assert key in body
    assert body["area_cm2"] == pytest.approx(4.0, rel=0.03)
    # no marker: JSON with nulls and exit code 1
    blank = photo.bgr.copy()
    blank[:] = 128
    import cv2

    cv2.imwrite(str(tmp_path / "blank.png"), blank)
    missing = runner.invoke(app, ["measure", str(tmp_path / "blank.png"), "--outline",
                                  str(tmp_path / "o.json")])
    assert missing.exit_code == 1
    assert json.loads(missing.output)["area_cm2"] is None
    bad = runner.invoke(app, ["measure", str(tmp_path / "w.jpg"), "--outline",
                              str(tmp_path / "w.jpg")])
    assert bad.exit_code == 2


def test_marker_command_writes_pdf_and_png(tmp_path: Path) -> None:
    _register()
    runner = CliRunner()
    for name in ("m.pdf", "m.png"):
        result = runner.invoke(app, ["marker", "--out", str(tmp_path / name), "--size-cm", "2.5"])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 200
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
    refused = runner.invoke(app, ["marker", "--out", str(tmp_path / "m.gif")])
    assert refused.exit_code == 2
