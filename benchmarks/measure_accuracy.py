"""Accuracy of traced-outline wound measurement on synthetic photos with a known truth.

Each sample: the project's marker beside a wound of known area (an ellipse or a smooth irregular
outline, 0.5-50 cm^2) on skin of one of six tones, photographed by a pinhole camera tilted
0-45 degrees (perspective), with blur, sensor noise, exposure and colour-cast changes and JPEG
compression (see ``woundcare.imaging.synthetic``). The clinician's tracing is SIMULATED: the
true outline projected into the photo, resampled every 4 px like a finger or pen drag, with
smooth human-like jitter of 0.6 px across the outline. So this measures the calibration and
the maths (marker detection, homography, rectified-plane measurement), not how well a person
finds the wound's edge.

Printed per size band: median and p90 of the absolute relative error of area and length
(traced, measured through the detected marker), the same for the tracing alone (true
homography: the part of the error the simulated hand contributes), and the ruler-only figure
beside it: true length x true width (the longest diameter and its perpendicular extent,
measured perfectly) against the true area.

Two seed sets: ``dev`` (used while building) and ``held-out`` (never tuned on). Run:

    .venv/bin/python benchmarks/measure_accuracy.py            # ~40 samples per set
    .venv/bin/python benchmarks/measure_accuracy.py --samples 200 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import cv2  # noqa: E402

from woundcare.imaging.detect import detect_marker  # noqa: E402
from woundcare.imaging.measure import measure_outline  # noqa: E402
from woundcare.imaging.synthetic import (  # noqa: E402
    SKIN_TONES,
    Camera,
    Degradation,
    ellipse_outline,
    irregular_outline,
    make_scene,
    photograph,
    traced_outline,
)

BANDS = ((0.5, 1.0), (1.0, 5.0), (5.0, 20.0), (20.0, 50.0))
SEED_BASE = {"dev": 10_000, "held-out": 7_700_000}  # held-out: never tuned on


@dataclass
class Sample:
    seed: int
    area_true: float
    tilt: float
    shape: str
    detected: bool
    area_err: float | None
    length_err: float | None
    width_err: float | None
    trace_area_err: float
    ruler_area_err: float
    marker_side_px: float | None


def run_one(seed: int) -> Sample:
    rng = np.random.default_rng(seed)
    low, high = BANDS[seed % len(BANDS)]
    area = float(math.exp(rng.uniform(math.log(low), math.log(high))))
    if rng.random() < 0.5:
        shape = "ellipse"
        outline = ellipse_outline(area, rng.uniform(1.0, 2.5), rng.uniform(0, 180), (0.0, 0.0))
    else:
        shape = "irregular"
        outline = irregular_outline(area, rng, (0.0, 0.0))
    scene = make_scene(outline, marker_angle_deg=rng.uniform(-45, 45),
                       gap_cm=rng.uniform(0.5, 2.0),
                       side=str(rng.choice(["right", "left", "below"])),
                       skin_rgb=SKIN_TONES[int(rng.integers(len(SKIN_TONES)))])
    extent = max(scene.extent_cm[2] - scene.extent_cm[0],
                 scene.extent_cm[3] - scene.extent_cm[1])
    width, height = 1600, 1200
    tilt = float(rng.uniform(0, 45))
    camera = Camera(width=width, height=height, focal_px=width * rng.uniform(1.0, 1.4),
                    tilt_deg=tilt, azimuth_deg=rng.uniform(0, 360),
                    roll_deg=rng.uniform(-15, 15),
                    px_per_cm=rng.uniform(0.6, 0.9) * height / extent)
    degradation = Degradation(blur_sigma_px=rng.uniform(0, 1.2), noise_sigma=rng.uniform(1, 5),
                              exposure=rng.uniform(0.55, 1.1),
                              cast_rgb=tuple(rng.uniform(0.92, 1.08, 3)),
                              jpeg_quality=int(rng.integers(70, 96)))
    photo = photograph(scene, camera, degradation, rng)
    trace = traced_outline(photo, rng)
    true_area = scene.area_cm2
    true_len, true_wid = scene.length_width_cm
    trace_only = measure_outline(trace, np.linalg.inv(photo.plane_to_image))
    detection = detect_marker(photo.bgr, scene.marker_size_cm)
    area_err = length_err = width_err = None
    if detection.usable and detection.image_to_plane is not None:
        m = measure_outline(trace, detection.image_to_plane)
        area_err = m.area_cm2 / true_area - 1
        length_err = m.length_cm / true_len - 1
        width_err = m.width_cm / true_wid - 1
    return Sample(seed=seed, area_true=true_area, tilt=tilt, shape=shape,
                  detected=detection.usable, area_err=area_err, length_err=length_err,
                  width_err=width_err, trace_area_err=trace_only.area_cm2 / true_area - 1,
                  ruler_area_err=true_len * true_wid / true_area - 1,
                  marker_side_px=detection.side_px)


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.abs(values), q) * 100) if values else float("nan")


def summarise(samples: list[Sample]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[Sample]] = {}
    for s in samples:
        for low, high in BANDS:
            if low <= s.area_true < high or (high == BANDS[-1][1] and s.area_true == high):
                groups.setdefault(f"{low:g}-{high:g} cm2", []).append(s)
        if s.area_true >= 1.0:
            groups.setdefault(">=1 cm2 (goal)", []).append(s)
    out: dict[str, dict[str, float]] = {}
    for name, group in groups.items():
        ok = [s for s in group if s.area_err is not None]
        area = [s.area_err for s in ok if s.area_err is not None]
        length = [s.length_err for s in ok if s.length_err is not None]
        out[name] = {
            "n": len(group), "not_measured": len(group) - len(ok),
            "area_median_%": _pct(area, 50), "area_p90_%": _pct(area, 90),
            "length_median_%": _pct(length, 50), "length_p90_%": _pct(length, 90),
            "trace_only_area_median_%": _pct([s.trace_area_err for s in group], 50),
            "ruler_LxW_area_median_%": _pct([s.ruler_area_err for s in group], 50),
            "ruler_LxW_area_p90_%": _pct([s.ruler_area_err for s in group], 90),
        }
    return out


def _print(name: str, table: dict[str, dict[str, float]]) -> None:
    print(f"\n== {name} ==")
    head = (f"{'band':<16}{'n':>4}{'miss':>5} | {'area med':>9}{'p90':>7} | {'len med':>8}"
            f"{'p90':>7} | {'trace-only':>10} | {'ruler LxW med':>13}{'p90':>7}")
    print(head)
    print("-" * len(head))
    order = [f"{lo:g}-{hi:g} cm2" for lo, hi in BANDS] + [">=1 cm2 (goal)"]
    for band in order:
        if band not in table:
            continue
        r = table[band]
        print(f"{band:<16}{r['n']:>4}{r['not_measured']:>5} | {r['area_median_%']:>8.2f}%"
              f"{r['area_p90_%']:>6.2f}% | {r['length_median_%']:>7.2f}%{r['length_p90_%']:>6.2f}%"
              f" | {r['trace_only_area_median_%']:>9.2f}% | {r['ruler_LxW_area_median_%']:>12.1f}%"
              f"{r['ruler_LxW_area_p90_%']:>6.1f}%")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=40, help="photos per seed set")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--sets", default="dev,held-out")
    parser.add_argument("--json", type=Path, help="also write every sample here")
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    started = time.perf_counter()
    everything: dict[str, list[dict[str, object]]] = {}
    print(f"traced-outline measurement accuracy: {args.samples} synthetic photos per set, "
          "1600x1200, tilt 0-45 deg")
    print("(the tracing is simulated: true outline projected, 4 px spacing, 0.6 px jitter)")
    for name in args.sets.split(","):
        seeds = [SEED_BASE[name] + i for i in range(args.samples)]
        if args.jobs > 1:
            with ProcessPoolExecutor(args.jobs) as pool:
                samples = list(pool.map(run_one, seeds))
        else:
            samples = [run_one(seed) for seed in seeds]
        _print(name, summarise(samples))
        everything[name] = [asdict(s) for s in samples]
    print(f"\nerrors are |measured / true - 1|; ruler LxW = true length x true width vs true "
          f"area. {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(everything, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
