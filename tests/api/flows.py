"""A whole case through the API, from log-in to DONE, with distinctive synthetic PHI (so a
scan of logs, audit rows and error bodies can prove none of it leaked)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from PIL import Image

from tests.api.conftest import PIN, Api
from tests.factories import synthetic_answer
from woundcare.demo import synthetic_photo

PHI = {
    "first_name": "Zqxjv",
    "last_name": "Qwertyson",
    "mrn": "ZZPHI-998877",
    "phone": "555-0199",
    "email": "zqxjv@example.com",
    "notes": "distinctive-note-77",
    "date_of_birth": "1961-04-03",
    "address": "77 Synthetic Lane",
}
PHI_MARKERS = ("Zqxjv", "Qwertyson", "ZZPHI-998877", "998877", "555-0199", "5550199",
               "zqxjv@example.com", "distinctive-note-77", "1961-04-03", "Synthetic Lane")
# A marker made of digits counts only as a number of its own: "998877" inside a metric's
# value such as 0.0019988771 is not the record number.
_MARKER_PATTERNS = [re.compile(rf"(?<!\d){re.escape(m)}(?!\d)" if m.isdigit() else re.escape(m),
                               re.IGNORECASE) for m in PHI_MARKERS]


def phi_in(text: str) -> list[str]:
    """The PHI markers found in ``text``."""
    pairs = zip(PHI_MARKERS, _MARKER_PATTERNS, strict=True)
    return [marker for marker, pattern in pairs if pattern.search(text)]


def photo_with_exif() -> bytes:
    """The demo's sharp synthetic wound photo, with EXIF (camera, GPS-ish) added."""
    image = Image.open(io.BytesIO(synthetic_photo(sharp=True)))
    exif = Image.Exif()
    exif[0x010F] = "SyntheticCam"  # Make
    exif[0x0132] = "2026:01:15 09:30:00"  # DateTime
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def bio_body() -> dict[str, Any]:
    return {
        "patient": {
            "first_name": PHI["first_name"], "last_name": PHI["last_name"],
            "date_of_birth": PHI["date_of_birth"], "sex": "unspecified", "mrn": PHI["mrn"],
            "contact": {"phone": PHI["phone"], "email": PHI["email"],
                        "address": PHI["address"]},
            "notes": PHI["notes"],
        },
        "consent": {"data_storage": "granted", "photography": "granted",
                    "team_board_sharing": "declined", "method": "verbal",
                    "notes": PHI["notes"]},
    }


def vitals_body() -> dict[str, Any]:
    at = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    return {"vitals": {
        "blood_pressure": {"systolic": 128, "diastolic": 82, "captured_at": at},
        "heart_rate": {"value": 76, "method": "manual", "captured_at": at},
        "respiratory_rate": {"value": 16, "captured_at": at},
        "temperature": {"value": 37.1, "unit": "C", "site": "oral", "captured_at": at},
        "oxygen_saturation": {"unknown": True},
        "pain": {"value": 3, "scale": "nrs", "captured_at": at},
    }}


def time_body() -> dict[str, Any]:
    return {"assessment": {
        "tissue": {"granulation_pct": 60, "slough_pct": 30, "necrotic_pct": 0,
                   "epithelial_pct": 10},
        "infection": {"odour": "absent", "erythema": "absent"},
        "moisture": {"exudate_level": "moderate", "exudate_consistency": "serous"},
        "edge": {"condition": "attached", "epibole": "absent"},
        "notes": PHI["notes"],
    }}


def upload_photo(api: Api, case: dict[str, Any], data: bytes | None = None,
                 expect: int = 200, **form: str) -> dict[str, Any]:
    files = {"file": ("IMG_0001.jpg", data or photo_with_exif(), "image/jpeg")}
    return api.step(case, "artifacts", expect, files=files,
                    data={"kind": "image", "site": "left heel (synthetic)", **form})


def run_whole_case(api: Api) -> dict[str, Any]:
    """Drive one case from creation to DONE; returns the final snapshot."""
    case = walk_to_signing(api)
    case = api.step(case, "sign", json={"pin": PIN})
    assert case["record"]["pin_linkage"] is not None
    case = api.fire(case, "CLINICIAN_LINKED")
    case = api.step(case, "export", json={"destinations": ["archive"]})
    assert case["status"] == "locked"
    case = api.fire(case, "STORED")
    assert case["state"] == "DONE"
    return case


def walk_to_signing(api: Api) -> dict[str, Any]:
    """Drive one new case to LINK_TO_CLINICIAN; returns its snapshot there."""
    case = api.create_case()
    case = api.fire(case, "BEGIN")
    blocked = api.fire(case, "BIO_CONFIRMED", expect=422)
    assert {b["code"] for b in blocked["blockers"]} >= {"patient.name.missing"}
    case = api.step(case, "bio", json=bio_body())
    case = api.fire(case, "BIO_CONFIRMED")
    assert case["state"] == "WOUND_IMAGING"

    case = upload_photo(api, case)
    photos = case["record"]["wound"]["photos"]
    assert len(photos) == 1
    assert photos[0]["quality"]["focus"] == "pass"
    case = api.step(case, "imaging", json={"wound_site": "left heel (synthetic)"})
    case = api.fire(case, "IMAGING_CONFIRMED")

    case = api.step(case, "vitals", json=vitals_body())
    case = api.fire(case, "VITALS_CAPTURED")
    case = api.step(case, "time", json=time_body())
    case = api.fire(case, "TIME_CAPTURED")
    assert case["state"] == "FOLLOW_UP"
    for index, question in enumerate(case["pending_follow_ups"]):
        body = ({"answer": synthetic_answer(question["field_path"])} if index % 2 == 0
                else {"dismiss_reason": "Not applicable (synthetic)."})
        case = api.step(case, f"follow-ups/{question['follow_up_id']}", json=body)
    case = api.fire(case, "FOLLOW_UP_RESOLVED")
    case = api.step(case, "review", json={"attest": True})
    case = api.fire(case, "REVIEW_COMPLETED")
    assert case["state"] == "ASSEMBLE_JSON"
    assert case["status"] == "ready_for_review"
    case = api.fire(case, "JSON_ASSEMBLED")
    assert case["state"] == "LINK_TO_CLINICIAN"
    return case
