"""Bundles of many random (valid) records all pass the independent validator: a generator of
record variations (vitals present, unknown or missing; every T.I.M.E. value; every consent
combination; with or without photos, MRN, date of birth, measurement, PUSH), validated in
one Node run. Seeds 0-29 were used while building the mapping; seeds 1000-1029 are the
held-out set, never looked at before the final run."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.factories import patch
from tests.handoff import records
from tests.handoff.validator import HERE, ensure_validator, unresolvable_warnings
from woundcare.crypto.keyring import KeyRing, OrgSigningKeys
from woundcare.domain.record import CaseRecord
from woundcare.handoff.fhir import build_bundle, sign_bundle

KEYS = OrgSigningKeys.from_keyring(KeyRing("v1", {"v1": b"\x01" * 32}))


def random_record(seed: int) -> tuple[CaseRecord, Any]:
    rng = random.Random(seed)
    record = records.exported()
    changes: dict[str, Any] = {}

    def maybe(value: Any) -> Any:
        return rng.choice([value, None])

    changes["vitals.heart_rate"] = rng.choice([
        {"value": rng.randint(30, 200), "unit": "bpm", "captured_at": "2026-01-15T09:00:00Z"},
        {"unknown": True}, {}])
    changes["vitals.respiratory_rate"] = rng.choice([
        {"value": rng.randint(5, 60), "unit": "breaths/min"}, {"unknown": True}, {}])
    sys_ = rng.randint(90, 200)
    changes["vitals.blood_pressure"] = rng.choice([
        {"systolic": sys_, "diastolic": rng.randint(40, sys_ - 1), "unit": "mmHg"},
        {"systolic": sys_}, {"unknown": True}, {}])
    unit = rng.choice(["C", "F"])
    value = round(rng.uniform(35, 40), 1) if unit == "C" else round(rng.uniform(95, 104), 1)
    changes["vitals.temperature"] = rng.choice([
        {"value": value, "unit": unit, "site": rng.choice(["oral", "axillary", "unknown"]),
         "celsius": value if unit == "C" else round((value - 32) / 1.8, 1)},
        {"value": value, "unit": unit}, {"unknown": True}, {}])
    changes["vitals.oxygen_saturation"] = rng.choice([
        {"value": rng.randint(80, 100), "unit": "%"}, {"unknown": True}, {}])
    changes["vitals.pain"] = rng.choice([
        {"value": rng.randint(0, 10), "scale": rng.choice(["nrs", "vrs", "flacc", "unknown"])},
        {"unknown": True}, {}])
    parts = [rng.randint(0, 25) for _ in range(4)]
    tissue = dict(zip(("granulation_pct", "slough_pct", "necrotic_pct", "epithelial_pct"),
                      [maybe(float(p)) for p in parts], strict=True))
    changes["time_assessment.tissue"] = tissue
    changes["time_assessment.moisture"] = {
        "exudate_level": maybe(rng.choice(["none", "scant", "moderate", "heavy", "unknown"])),
        "exudate_consistency": maybe(rng.choice(["serous", "purulent", "other", "unknown"])),
        "dressing_saturation": maybe(rng.choice(["none", "partial", "full", "unknown"]))}
    changes["time_assessment.edge"] = {
        "condition": maybe(rng.choice(["attached", "unattached", "rolled", "macerated",
                                       "undermined", "unknown"])),
        "undermining_depth_cm": maybe(round(rng.uniform(0, 5), 1)),
        "epibole": maybe(rng.choice(["absent", "present", "unknown"]))}
    changes["time_assessment.infection"] = {
        "odour": maybe(rng.choice(["absent", "present"])),
        "erythema": maybe(rng.choice(["absent", "present"])),
        "erythema_extent_cm": maybe(round(rng.uniform(0, 10), 1))}
    for kind in ("photography", "team_board_sharing"):
        changes[f"consent.{kind}"] = rng.choice(["granted", "declined", "not_recorded"])
    changes["patient.mrn"] = maybe("ZZRAND-" + str(seed))
    changes["patient.date_of_birth"] = maybe("1950-02-0" + str(1 + seed % 9))
    changes["patient.sex"] = rng.choice(["female", "male", "intersex", "unspecified"])
    changes["wound.description"] = maybe("Synthetic description " + str(seed))
    record = patch(record, **changes)
    if rng.random() < 0.3:
        record = records.declined_sharing_no_photos(record)
    elif rng.random() < 0.6:
        record = records.with_measurement(record)
    push = records.push_score(rng.randint(0, 17), 3, 1, 2) if rng.random() < 0.5 else None
    return record, push


def validate_many(seeds: range, tmp_path: Path) -> list[tuple[int, list[Any], list[str]]]:
    ensure_validator()
    files, bundles = [], {}
    for seed in seeds:
        record, push = random_record(seed)
        kid = KEYS.active_kid(record.organisation_id)
        bundle = sign_bundle(build_bundle(record, records.context(push=push)),
                             KEYS.private_key(kid), kid)
        path = tmp_path / f"bundle-{seed}.json"
        path.write_text(json.dumps(bundle))
        files.append(str(path))
        bundles[str(path)] = (seed, bundle)
    done = subprocess.run(["node", str(HERE / "validate.mjs"), *files], capture_output=True,
                          text=True, timeout=600, cwd=HERE)
    out = []
    for line in done.stdout.strip().splitlines():
        result = json.loads(line)
        seed, bundle = bundles[result["file"]]
        out.append((seed, result["errors"], unresolvable_warnings(bundle, result)))
    assert len(out) == len(files), done.stderr
    return out


@pytest.mark.parametrize("seeds", [range(30), range(1000, 1030)],
                         ids=["development", "held-out"])
def test_random_records_validate(seeds: range, tmp_path: Path) -> None:
    results = validate_many(seeds, tmp_path)
    failures = [(seed, errors[:3], warnings[:3]) for seed, errors, warnings in results
                if errors or warnings]
    assert failures == []
