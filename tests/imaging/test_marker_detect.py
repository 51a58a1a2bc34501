"""The calibration marker: written as PNG and PDF, found in rendered photos at angles, and its
problems (partly hidden, blurred, too small, dark) reported."""

from __future__ import annotations

import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest

from woundcare.imaging.detect import decode_image, detect_marker, rectify
from woundcare.imaging.marker import CELLS, MARKER_ID, marker_image, marker_pdf, write_marker
from woundcare.imaging.synthetic import (
    SKIN_TONES,
    Camera,
    Degradation,
    Photo,
    ellipse_outline,
    make_scene,
    photograph,
)


def shoot(*, tilt: float = 0.0, azimuth: float = 30.0, blur: float = 0.5, noise: float = 2.0,
          exposure: float = 1.0, px_per_cm: float = 45.0, marker_angle: float = 10.0,
          cast: tuple[float, float, float] = (1.0, 1.0, 1.0), skin: int = 2,
          seed: int = 1) -> Photo:
    rng = np.random.default_rng(seed)
    scene = make_scene(ellipse_outline(6.0, 1.5, 20, (0.0, 0.0)),
                       marker_angle_deg=marker_angle, skin_rgb=SKIN_TONES[skin])
    camera = Camera(width=1280, height=960, focal_px=1500, tilt_deg=tilt, azimuth_deg=azimuth,
                    px_per_cm=px_per_cm)
    return photograph(scene, camera, Degradation(blur_sigma_px=blur, noise_sigma=noise,
                                                 exposure=exposure, cast_rgb=cast), rng)


def true_corners(photo: Photo) -> np.ndarray:
    return photo.project(photo.scene.marker_corners_cm)


# ------------------------------------------------------------------ the marker itself


def test_png_is_the_marker_alone_with_its_black_border_at_the_edge(tmp_path: Path) -> None:
    out = tmp_path / "marker.png"
    assert write_marker(out, 2.0, px_per_cell=10) == "png"
    image = cv2.imread(str(out), cv2.IMREAD_GRAYSCALE)
    assert image.shape == (CELLS * 10, CELLS * 10)
    for edge in (image[0], image[-1], image[:, 0], image[:, -1]):
        assert (edge == 0).all()
    # with a quiet zone added, OpenCV's own detector reads our id
    padded = cv2.copyMakeBorder(image, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)
    detector = cv2.aruco.ArucoDetector(cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50))
    _, ids, _ = detector.detectMarkers(padded)
    assert ids is not None
    assert ids.ravel().tolist() == [MARKER_ID]


def test_pdf_prints_at_true_size_with_label(tmp_path: Path) -> None:
    pdf = tmp_path / "marker.pdf"
    pdf.write_bytes(marker_pdf(3.0))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "side 3 cm" in text
    assert "100 %" in text
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True)
    page = decode_image((tmp_path / "page.png").read_bytes())
    found = detect_marker(page, 3.0)
    assert found.found
    assert found.side_px is not None
    expected_px = 3.0 / 2.54 * 150  # printed at true size: 3 cm at 150 dots per inch
    assert found.side_px == pytest.approx(expected_px, rel=0.01)
    assert found.cm_per_pixel == pytest.approx(2.54 / 150, rel=0.01)


def test_marker_size_is_bounded(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        marker_pdf(0.5)
    with pytest.raises(ValueError):
        write_marker(tmp_path / "marker.gif")
    assert marker_image(2).shape == (12, 12)


# ------------------------------------------------------------------ detection


@pytest.mark.parametrize("tilt", [0.0, 20.0, 35.0, 45.0])
def test_found_at_angles_with_sub_pixel_corners(tilt: float) -> None:
    photo = shoot(tilt=tilt, azimuth=40 + tilt)
    found = detect_marker(photo.bgr, 2.0)
    assert found.ok, found.problems
    assert found.corners_px is not None
    error = np.linalg.norm(found.corners_px - true_corners(photo), axis=1)
    assert error.max() < 0.25, error
    # the homography maps the true wound outline onto its true plane size
    outline_px = photo.project(photo.scene.outline_cm)
    assert found.image_to_plane is not None
    plane = cv2.perspectiveTransform(outline_px.reshape(-1, 1, 2), found.image_to_plane)
    from woundcare.imaging.measure import shoelace_area

    assert shoelace_area(plane.reshape(-1, 2)) == pytest.approx(photo.scene.area_cm2, rel=0.02)


def test_cm_per_pixel_matches_the_camera() -> None:
    photo = shoot(tilt=0.0, px_per_cm=45.0)
    found = detect_marker(photo.bgr, 2.0)
    assert found.cm_per_pixel == pytest.approx(1 / 45.0, rel=0.01)
    # the printed size scales the answer, not the detection
    bigger = detect_marker(photo.bgr, 4.0)
    assert bigger.cm_per_pixel == pytest.approx(2 * (found.cm_per_pixel or 0), rel=1e-9)


def test_a_photo_without_the_marker_reports_not_found() -> None:
    photo = shoot()
    blank = photo.bgr.copy()
    corners = true_corners(photo)
    centre = corners.mean(axis=0)
    grown = (centre + 1.8 * (corners - centre)).astype(np.int32)
    cv2.fillConvexPoly(blank, grown, tuple(int(c) for c in blank[5, 5]))
    found = detect_marker(blank, 2.0)
    assert not found.found
    assert found.problems == ("not_found",)
    assert not found.usable
    assert found.image_to_plane is None


def _cover_cells(photo: Photo, cells: list[tuple[int, int]]) -> np.ndarray:
    """Paint a skin-coloured patch over marker cells (col, row), as a finger or dressing."""
    image = photo.bgr.copy()
    mc = photo.scene.marker_corners_cm
    u, v = (mc[1] - mc[0]) / CELLS, (mc[3] - mc[0]) / CELLS
    skin = tuple(int(c) for c in image[5, 5])
    for col, row in cells:
        p = mc[0] + col * u + row * v
        quad = photo.project(np.array([p, p + u, p + u + v, p + v]))
        cv2.fillConvexPoly(image, np.round(quad).astype(np.int32), skin)
    return image


def test_partly_hidden_marker_is_reported() -> None:
    photo = shoot(tilt=15)
    pattern_black = [(c, r) for r in range(1, 5) for c in range(1, 5)]
    covered = _cover_cells(photo, pattern_black[:3])
    found = detect_marker(covered, 2.0)
    assert "partly_hidden" in found.problems
    assert not found.usable
    assert not found.ok


def test_covered_corner_is_not_measured() -> None:
    photo = shoot(tilt=10)
    covered = _cover_cells(photo, [(0, 0), (1, 0), (0, 1), (1, 1)])
    found = detect_marker(covered, 2.0)
    assert not found.usable
    assert found.problems
    assert found.problems[0] in ("not_found", "partly_hidden")


def test_blurred_marker_is_reported_and_a_sharp_one_is_not() -> None:
    assert "blurred" not in detect_marker(shoot(blur=0.6).bgr, 2.0).problems
    blurred = detect_marker(shoot(blur=4.0, px_per_cm=60).bgr, 2.0)
    assert blurred.found
    assert "blurred" in blurred.problems
    assert blurred.edge_width_px is not None
    assert blurred.edge_width_px > 5


def test_too_small_marker_is_reported() -> None:
    found = detect_marker(shoot(px_per_cm=20.0, blur=0.3).bgr, 2.0)
    assert found.found
    assert "too_small" in found.problems
    assert found.side_px is not None
    assert found.side_px < 60


def test_low_light_is_still_measured_and_reported() -> None:
    photo = shoot(exposure=0.2, noise=3.0)
    found = detect_marker(photo.bgr, 2.0)
    assert found.found
    assert found.usable
    assert "underexposed" in found.problems
    assert found.colour is not None
    assert found.colour.exposure < 60
    assert found.cm_per_pixel == pytest.approx(1 / 45.0, rel=0.02)


def test_white_and_black_cells_give_a_white_balance_reference() -> None:
    photo = shoot(cast=(1.0, 0.95, 0.8), exposure=0.9)
    found = detect_marker(photo.bgr, 2.0)
    assert found.colour is not None
    red, _green, blue = found.colour.white_rgb
    assert red / blue == pytest.approx(1 / 0.8, rel=0.05)
    gains = found.colour.white_balance_gains
    balanced = np.array(found.colour.white_rgb) * np.array(gains)
    assert np.ptp(balanced) < 1e-6  # the gains make the marker's white neutral
    assert found.colour.contrast > 150


@pytest.mark.parametrize("skin", range(len(SKIN_TONES)))
def test_found_on_every_skin_tone(skin: int) -> None:
    found = detect_marker(shoot(skin=skin, tilt=25).bgr, 2.0)
    assert found.ok, found.problems


def test_rectify_shows_the_marker_square_at_the_chosen_scale() -> None:
    photo = shoot(tilt=40, azimuth=10)
    found = detect_marker(photo.bgr, 2.0)
    straight = rectify(photo.bgr, found, 40.0, (-1.0, -1.0, 3.0, 3.0))
    assert straight.shape[:2] == (160, 160)
    grey = cv2.cvtColor(straight, cv2.COLOR_BGR2GRAY)
    inner = grey[40:120, 40:120]  # the 2 cm marker occupies 80 x 80 px from (40, 40)
    assert inner[:4].mean() < 80
    assert inner[:, :4].mean() < 80
    assert grey[44:116, 20:34].mean() > 150  # white quiet zone beside it
