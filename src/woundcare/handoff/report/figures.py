"""Pictures for the report: a photo with its traced outline and a scale bar, and the
measurement trend chart. Pure functions returning PNG bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from PIL import Image, ImageDraw


def annotated_photo(data: bytes, *, outline: Sequence[Sequence[float]] | None,
                    cm_per_pixel: float | None, max_side: int = 900) -> bytes:
    """The photo with the traced outline (photo pixels) and a 1 cm scale bar when the scale
    is known. Annotations are drawn on a copy; the stored photo is unchanged."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    draw = ImageDraw.Draw(image)
    width = max(2, image.width // 250)
    if outline and len(outline) >= 3:
        points = [(float(x), float(y)) for x, y in outline]
        draw.line([*points, points[0]], fill=(0, 200, 255), width=width, joint="curve")
    if cm_per_pixel:
        bar = 1.0 / cm_per_pixel  # pixels in one centimetre
        x0, y0 = image.width * 0.05, image.height * 0.92
        draw.rectangle([x0 - 6, y0 - 22, x0 + bar + 6, y0 + 10], fill=(255, 255, 255))
        draw.rectangle([x0, y0, x0 + bar, y0 + 6], fill=(0, 0, 0))
        draw.text((x0, y0 - 18), "1 cm", fill=(0, 0, 0))
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def trend_chart(points: Sequence[tuple[datetime, float | None, float | None]],
                *, push: Sequence[tuple[datetime, int | None]] = ()) -> bytes:
    """Area (cm²) and longest length (cm) over visits; PUSH total on a second axis when
    known."""
    fig, ax = plt.subplots(figsize=(6.4, 2.6), dpi=150)
    dates: list[Any] = [p[0] for p in points]
    areas = [p[1] for p in points]
    lengths = [p[2] for p in points]
    if any(a is not None for a in areas):
        ax.plot(dates, [a if a is not None else float("nan") for a in areas], marker="o",
                label="Area (cm²)", color="#1f5f8b")
    if any(v is not None for v in lengths):
        ax.plot(dates, [v if v is not None else float("nan") for v in lengths], marker="s",
                label="Length (cm)", color="#8b5a1f")
    ax.set_ylabel("cm / cm²")
    ax.grid(alpha=0.3)
    ax.set_ylim(bottom=0)
    handles, labels = ax.get_legend_handles_labels()
    if push and any(p[1] is not None for p in push):
        ax2 = ax.twinx()
        push_dates: list[Any] = [p[0] for p in push]
        ax2.plot(push_dates, [p[1] if p[1] is not None else float("nan") for p in push],
                 marker="^", linestyle="--", color="#6a3d9a", label="PUSH total")
        ax2.set_ylabel("PUSH (0-17)")
        ax2.set_ylim(0, 17)
        h2, l2 = ax2.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    if handles:
        ax.legend(handles, labels, loc="upper right", fontsize=7)
    from datetime import timedelta

    import matplotlib.dates as mdates

    every = sorted({p[0] for p in points} | {p[0] for p in push})
    if len(every) == 1:  # one visit: a sensible window around it instead of years
        lo, hi = every[0] - timedelta(days=7), every[0] + timedelta(days=7)
        ax.set_xlim(lo, hi)  # type: ignore[arg-type]
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=6))  # type: ignore[no-untyped-call]
    for when, area, _length in points:
        if area is not None:
            ax.annotate(f"{area:g}", (when, area), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=7)
    fig.autofmt_xdate()
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()
