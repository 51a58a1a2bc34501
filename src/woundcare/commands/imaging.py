"""``woundcare marker`` and ``woundcare measure``: the calibration marker and measuring a traced
outline on a photo (the same code the server runs)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from woundcare.imaging.marker import DEFAULT_SIZE_CM, MARKER_ID


def marker(
    out: Path = typer.Option(..., "--out", help="File to write: .pdf (to print) or .png."),
    size_cm: float = typer.Option(DEFAULT_SIZE_CM, "--size-cm", min=1.0, max=10.0,
                                  help="Printed side of the marker (outer black edge), cm."),
    px_per_cell: int = typer.Option(100, "--px-per-cell", min=4, max=1000,
                                    help="PNG only: pixels per marker cell (6 cells a side)."),
) -> None:
    """Write the calibration marker: PDF at true size with quiet zone and label, or PNG of the
    marker square alone (its black border at the image's edge)."""
    from woundcare.imaging.marker import write_marker

    try:
        kind = write_marker(out, size_cm, px_per_cell)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    typer.echo(f"wrote {kind.upper()} {out} (ArUco id {MARKER_ID}, side {size_cm:g} cm)")


def measure(
    photo: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                 help="The photo (JPEG, PNG, WebP or HEIC)."),
    outline: Path = typer.Option(..., "--outline", exists=True, dir_okay=False,
                                 help="JSON list of [x, y] points in the photo's pixels."),
    marker_size_cm: float = typer.Option(DEFAULT_SIZE_CM, "--marker-size-cm", min=1.0,
                                         max=10.0, help="Printed side of the marker, cm."),
) -> None:
    """Measure a traced wound outline on the marker's plane; print JSON. Exit code 1 when no
    usable marker was found (the measurements are then null)."""
    from woundcare.imaging.detect import decode_image
    from woundcare.imaging.measure import OutlineError, measure_photo

    try:
        points = json.loads(outline.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise typer.BadParameter(f"the outline is not readable JSON: {exc}") from None
    try:
        image = decode_image(photo.read_bytes())
    except (OSError, ValueError, SyntaxError):
        raise typer.BadParameter("the photo could not be read as an image") from None
    try:
        result = measure_photo(image, points, marker_size_cm)
    except OutlineError as exc:
        raise typer.BadParameter(f"{exc.code}: {exc.message}") from None
    typer.echo(json.dumps(result, indent=2))
    if result["area_cm2"] is None:
        raise typer.Exit(1)
