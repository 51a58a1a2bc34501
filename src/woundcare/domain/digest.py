"""A stable digest of what a clinician signs: the record's clinical content."""

from __future__ import annotations

import hashlib
import json

from woundcare.domain.record import CaseRecord

# Bookkeeping that changes without the clinical content changing is not part of what is signed.
_UNSIGNED = {"version", "updated_at", "state", "status", "pin_linkage", "seal", "export"}


def record_digest(record: CaseRecord) -> str:
    content = record.model_dump(mode="json", exclude=_UNSIGNED)
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()
