"""Consent changes: applied the same way wherever they come from, with history kept.

Product decision (the seed leaves it open): consent can change in any state. A change to
``declined`` of data storage voids a PIN linkage and blocks every forward event; a finished
(locked) record keeps its content, records the revocation in its history, and refuses export.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from woundcare.domain.enums import CaseStatus, ConsentKind, ConsentStatus
from woundcare.domain.inputs import ConsentPatch
from woundcare.domain.record import CaseRecord, ConsentChange


def apply_consent(
    record: CaseRecord, patch: ConsentPatch, *, actor_id: UUID, now: datetime
) -> CaseRecord:
    consent = record.consent.model_copy(deep=True)
    changed = False
    method = patch.method if "method" in patch.model_fields_set else consent.method
    for kind in ConsentKind:
        if kind.value not in patch.model_fields_set:
            continue
        new: ConsentStatus | None = getattr(patch, kind.value)
        status = new or ConsentStatus.NOT_RECORDED
        if status is consent.status_of(kind):
            continue
        setattr(consent, kind.value, status)
        consent.history.append(ConsentChange(
            kind=kind, status=status, captured_by=actor_id, captured_at=now,
            method=method or consent.method or "unknown",
        ))
        changed = True
    if "notes" in patch.model_fields_set:
        consent.notes = patch.notes
    if "method" in patch.model_fields_set:
        consent.method = patch.method
    if changed:
        consent.captured_by, consent.captured_at = actor_id, now
    updated = record.model_copy(update={"consent": consent})
    locked = record.status is CaseStatus.LOCKED  # a signed, exported record keeps its history
    if consent.data_storage is ConsentStatus.DECLINED and updated.pin_linkage and not locked:
        updated = updated.model_copy(update={"pin_linkage": None})
    return updated
