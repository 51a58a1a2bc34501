"""Hand-off benchmark, in process: building and signing the FHIR bundle of an exported visit
(mapping, fhir.resources validation of every resource, canonical JSON, ES256 detached JWS),
verifying it, and rendering the PDF report (ReportLab + a matplotlib chart + the annotated
photo). Prints p50/p90/p99 per operation.

    .venv/bin/python benchmarks/handoff.py [--runs 50]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import percentile  # noqa: E402

from tests.factories import PHOTO_ID  # noqa: E402
from tests.handoff import records  # noqa: E402
from woundcare.crypto.keyring import KeyRing, OrgSigningKeys  # noqa: E402
from woundcare.demo import synthetic_photo  # noqa: E402
from woundcare.handoff.fhir import (  # noqa: E402
    PhotoBytes,
    build_bundle,
    sign_bundle,
    verify_bundle,
)
from woundcare.handoff.report import render_report  # noqa: E402


def timed(runs: int, fn: Callable[[], object]) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs
    record = records.with_measurement(records.exported())
    ctx = records.context(photos={PHOTO_ID: PhotoBytes("image/jpeg",
                                                       synthetic_photo(sharp=True))},
                          push=records.Push(9, 5, 1, 3))
    keys = OrgSigningKeys.from_keyring(KeyRing("v1", {"v1": os.urandom(32)}))
    kid = keys.active_kid(record.organisation_id)
    private = keys.private_key(kid)
    public = private.public_key()  # type: ignore[attr-defined]
    signed = sign_bundle(build_bundle(record, ctx), private, kid)
    rows = [
        ("FHIR bundle: build + sign", timed(runs, lambda: sign_bundle(
            build_bundle(record, ctx), private, kid))),
        ("FHIR bundle: verify", timed(runs, lambda: verify_bundle(signed, lambda _k: public))),
        ("PDF report: render", timed(max(5, runs // 5), lambda: render_report(record, ctx))),
    ]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    print(f"command: {' '.join(sys.argv)}  ({len(signed['entry'])} resources per bundle)")
    print(f"{'':<30}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'n':>6}")
    for name, values in rows:
        print(f"{name:<30}{percentile(values, 50):>9.1f}{percentile(values, 90):>9.1f}"
              f"{percentile(values, 99):>9.1f}{len(values):>6}")


if __name__ == "__main__":
    main()
