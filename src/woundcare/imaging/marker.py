"""The calibration marker: one ArUco marker (OpenCV's 4x4 dictionary, id 39) of a known printed
side, placed beside the wound on the same skin plane.

The marker is 6 x 6 cells: a one-cell black border around 4 x 4 data cells. Its printed side
(default 2 cm) is the outer edge of the black border. Id 39 is chosen because its pattern has
the most cell corners (23 L- and X-junctions inside and on the border), each a sub-pixel
feature for the plane's homography (see :mod:`woundcare.imaging.detect`).

``write_marker_png`` writes the marker square alone, its black border at the image's edge (for
software); ``write_marker_pdf`` writes an A4 page at true size with a white quiet zone, a cut
line, a label and a 5 cm check bar to confirm that the printer did not scale it.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import cv2
import numpy as np

DICTIONARY_NAME = "DICT_4X4_50"
MARKER_ID = 39
CELLS = 6  # 4 data cells + one border cell each side
DEFAULT_SIZE_CM = 2.0
MIN_SIZE_CM = 1.0
MAX_SIZE_CM = 10.0
QUIET_ZONE_CELLS = 2  # white margin around the printed marker


@cache
def dictionary() -> cv2.aruco.Dictionary:
    return cv2.aruco.getPredefinedDictionary(getattr(cv2.aruco, DICTIONARY_NAME))


@cache
def cell_pattern() -> np.ndarray:
    """The marker's 6 x 6 cells, ``True`` where black (read-only)."""
    image = cv2.aruco.generateImageMarker(dictionary(), MARKER_ID, CELLS)
    pattern = image < 128
    pattern.setflags(write=False)
    return pattern


def marker_image(px_per_cell: int = 100) -> np.ndarray:
    """The marker alone as an 8-bit grey image, ``CELLS * px_per_cell`` pixels square."""
    if px_per_cell < 1:
        raise ValueError("px_per_cell must be at least 1")
    cells = np.where(cell_pattern(), 0, 255).astype(np.uint8)
    return np.kron(cells, np.ones((px_per_cell, px_per_cell), dtype=np.uint8))


def check_size(size_cm: float) -> float:
    if not MIN_SIZE_CM <= size_cm <= MAX_SIZE_CM:
        raise ValueError(f"marker size must be between {MIN_SIZE_CM:g} and {MAX_SIZE_CM:g} cm")
    return float(size_cm)


def marker_png(px_per_cell: int = 100) -> bytes:
    ok, encoded = cv2.imencode(".png", marker_image(px_per_cell))
    if not ok:  # pragma: no cover - encoding a small grey image does not fail
        raise RuntimeError("PNG encoding failed")
    return bytes(encoded.tobytes())


def marker_pdf(size_cm: float = DEFAULT_SIZE_CM) -> bytes:
    """An A4 page: the marker at true size, its quiet zone, a cut line and a label."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.pdfgen import canvas

    size_cm = check_size(size_cm)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"woundcare calibration marker {size_cm:g} cm")
    pdf.setAuthor("woundcare")
    page_w, page_h = A4
    cell = size_cm * cm / CELLS
    quiet = QUIET_ZONE_CELLS * cell
    x0 = (page_w - size_cm * cm) / 2
    y0 = page_h - 6 * cm - size_cm * cm
    # cut line around the quiet zone (light grey, dashed: not part of the marker)
    pdf.setStrokeGray(0.6)
    pdf.setDash(2, 2)
    pdf.setLineWidth(0.3)
    pdf.rect(x0 - quiet, y0 - quiet, size_cm * cm + 2 * quiet, size_cm * cm + 2 * quiet)
    pdf.setDash()
    pdf.setFillGray(0)
    pattern = cell_pattern()
    for row in range(CELLS):
        for col in range(CELLS):
            if pattern[row, col]:
                # PDF's y axis points up; row 0 is the marker's top row.
                pdf.rect(x0 + col * cell, y0 + (CELLS - 1 - row) * cell, cell, cell,
                         stroke=0, fill=1)
    text_y = y0 - quiet - 0.8 * cm
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawCentredString(page_w / 2, text_y,
                          f"woundcare calibration marker - side {size_cm:g} cm")
    pdf.setFont("Helvetica", 9)
    pdf.drawCentredString(page_w / 2, text_y - 0.5 * cm,
                          f"ArUco {DICTIONARY_NAME} id {MARKER_ID}. Print at 100 % (no 'fit to "
                          "page'); keep the white margin; place it flat beside the wound.")
    # check bar: 5 cm long; measure it after printing
    bar_y = text_y - 2 * cm
    pdf.setLineWidth(1)
    pdf.line(page_w / 2 - 2.5 * cm, bar_y, page_w / 2 + 2.5 * cm, bar_y)
    for tick in range(6):
        x = page_w / 2 - 2.5 * cm + tick * cm
        pdf.line(x, bar_y - 0.15 * cm, x, bar_y + 0.15 * cm)
    pdf.drawCentredString(page_w / 2, bar_y - 0.6 * cm,
                          "This bar must measure exactly 5 cm; if not, the printer scaled the "
                          "page and measurements would be wrong.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def write_marker(out: Path, size_cm: float = DEFAULT_SIZE_CM, px_per_cell: int = 100) -> str:
    """Write the marker to ``out`` as PDF or PNG (by suffix); returns the format written."""
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        out.write_bytes(marker_pdf(size_cm))
        return "pdf"
    if suffix == ".png":
        check_size(size_cm)
        out.write_bytes(marker_png(px_per_cell))
        return "png"
    raise ValueError("the output file must end in .pdf or .png")
