"""Shared test helpers: synthetic records, a fixed clock, fake adapters, a spying store.

Every person and value here is obviously synthetic (names like "Testy", MRNs "ZZTEST-...").
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from woundcare.domain.digest import record_digest
from woundcare.domain.enums import (
    ArtifactKind,
    CaseStatus,
    CheckResult,
    WorkflowState,
)
from woundcare.domain.errors import PinRejected
from woundcare.domain.provenance import ProvenanceDraft, ProvenanceEntry
from woundcare.domain.record import (
    Artifact,
    CaseRecord,
    ExportRecord,
    Photo,
    PinLinkage,
    QualityChecklist,
    ReviewAttestation,
    Seal,
)
from woundcare.domain.sensitive import split_sensitive

FIXED_NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
ORG_ID = UUID("00000000-0000-4000-8000-0000000000a1")
CLINICIAN_ID = UUID("00000000-0000-4000-8000-00000000c001")
OTHER_CLINICIAN_ID = UUID("00000000-0000-4000-8000-00000000c002")
CASE_ID = UUID("00000000-0000-4000-8000-00000000ca5e")
SYNTHETIC_PIN = "246810"
SYNTHETIC_SHA = hashlib.sha256(b"synthetic wound photo").hexdigest()


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current = self.current + timedelta(**delta)
        return self.current


def sequential_ids(prefix: int = 0xF00) -> Callable[[], UUID]:
    """Deterministic UUIDs: 00000000-0000-4000-8000-<prefix><counter>."""
    counter = iter(range(1, 10**9))

    def new_id() -> UUID:
        return UUID(f"00000000-0000-4000-8000-{prefix:04x}{next(counter):08x}")

    return new_id


# ---------------------------------------------------------------- fake adapters


class FakeSealer:
    """Seals every sensitive path present (as the real sealer says it does) and counts calls."""

    def __init__(self, key_version: str = "test-v1") -> None:
        self.key_version = key_version
        self.calls: list[UUID] = []

    def seal(self, record: CaseRecord) -> Seal:
        self.calls.append(record.case_id)
        _, secrets = split_sensitive(record.model_dump(mode="json"))
        return Seal(key_version=self.key_version, sealed_at=FIXED_NOW,
                    sealed_paths=sorted(secrets))


class FakePinVerifier:
    """Right PIN passes; wrong PINs are counted and lock signing after ``max_attempts``."""

    def __init__(self, pins: dict[UUID, str] | None = None, max_attempts: int = 3) -> None:
        self.pins = pins if pins is not None else {CLINICIAN_ID: SYNTHETIC_PIN}
        self.max_attempts = max_attempts
        self.failures: dict[UUID, int] = {}
        self.calls = 0

    def verify(self, clinician_id: UUID, pin: str) -> None:
        self.calls += 1
        if self.failures.get(clinician_id, 0) >= self.max_attempts:
            raise PinRejected("Too many wrong PIN attempts; PIN signing is locked for a while.")
        if self.pins.get(clinician_id) != pin:
            self.failures[clinician_id] = self.failures.get(clinician_id, 0) + 1
            raise PinRejected()


class RecordingExporter:
    def __init__(self) -> None:
        self.delivered: list[tuple[UUID, list[str]]] = []

    def deliver(self, record: CaseRecord, destinations: Sequence[str]) -> list[str]:
        self.delivered.append((record.case_id, list(destinations)))
        return list(destinations)


@dataclass
class SaveCall:
    record: CaseRecord
    expected_version: int
    drafts: list[ProvenanceDraft]
    entries: list[ProvenanceEntry]


@dataclass
class SpyStore:
    """Wraps a real store and records every create/save call with what was passed."""

    inner: Any
    saves: list[SaveCall] = field(default_factory=list)
    creates: list[SaveCall] = field(default_factory=list)

    def create(self, record: CaseRecord, drafts: Sequence[ProvenanceDraft]
               ) -> list[ProvenanceEntry]:
        entries: list[ProvenanceEntry] = self.inner.create(record, drafts)
        self.creates.append(SaveCall(record, 0, list(drafts), entries))
        return entries

    def load(self, case_id: UUID) -> CaseRecord:
        record: CaseRecord = self.inner.load(case_id)
        return record

    def save(self, record: CaseRecord, *, expected_version: int,
             drafts: Sequence[ProvenanceDraft]) -> list[ProvenanceEntry]:
        entries: list[ProvenanceEntry] = self.inner.save(
            record, expected_version=expected_version, drafts=drafts)
        self.saves.append(SaveCall(record, expected_version, list(drafts), entries))
        return entries

    def provenance(self, case_id: UUID) -> list[ProvenanceEntry]:
        entries: list[ProvenanceEntry] = self.inner.provenance(case_id)
        return entries


# ---------------------------------------------------------------- record builders


def new_record(**overrides: Any) -> CaseRecord:
    data: dict[str, Any] = {
        "case_id": CASE_ID, "organisation_id": ORG_ID, "owner_id": CLINICIAN_ID,
        "created_at": FIXED_NOW, "updated_at": FIXED_NOW, "version": 1,
    }
    data.update(overrides)
    return CaseRecord.model_validate(data)


def patch(record: CaseRecord, **changes: Any) -> CaseRecord:
    """Deep-merge ``changes`` (JSON-shaped, dotted keys allowed) and revalidate."""
    data = record.model_dump(mode="json")
    for dotted, value in changes.items():
        parts = dotted.split(".")
        node = data
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(parts[-1])] = value
        else:
            node[parts[-1]] = value
    return CaseRecord.model_validate(data)


PASSING = QualityChecklist(framing=CheckResult.PASS, focus=CheckResult.PASS,
                           lighting=CheckResult.PASS)
FAILING = QualityChecklist(framing=CheckResult.PASS, focus=CheckResult.FAIL,
                           lighting=CheckResult.PASS)


def artifact(artifact_id: UUID, kind: ArtifactKind = ArtifactKind.IMAGE) -> Artifact:
    return Artifact(artifact_id=artifact_id, kind=kind, media_type="image/jpeg",
                    size_bytes=1234, sha256=SYNTHETIC_SHA, created_at=FIXED_NOW,
                    created_by=CLINICIAN_ID)


def with_photo(record: CaseRecord, artifact_id: UUID,
               quality: QualityChecklist = PASSING) -> CaseRecord:
    data = record.model_dump(mode="json")
    data["artifacts"].append(artifact(artifact_id).model_dump(mode="json"))
    data["wound"]["photos"].append(
        Photo(artifact_id=artifact_id, orientation="lateral", quality=quality)
        .model_dump(mode="json"))
    return CaseRecord.model_validate(data)


AT = FIXED_NOW - timedelta(minutes=10)
COMPLETE_VITALS: dict[str, Any] = {
    "blood_pressure": {"systolic": 121, "diastolic": 79, "unit": "mmHg", "captured_at": AT},
    "heart_rate": {"value": 71, "unit": "bpm", "method": "manual", "captured_at": AT},
    "respiratory_rate": {"value": 15, "unit": "breaths/min", "captured_at": AT},
    "temperature": {"value": 36.9, "unit": "C", "site": "oral", "celsius": 36.9,
                    "captured_at": AT},
    "oxygen_saturation": {"unknown": True},
    "pain": {"value": 2, "scale": "nrs", "captured_at": AT},
}
COMPLETE_TIME: dict[str, Any] = {
    "tissue": {"granulation_pct": 70, "slough_pct": 20, "necrotic_pct": 0,
               "epithelial_pct": 10},
    "infection": {"odour": "absent", "erythema": "absent"},
    "moisture": {"exudate_level": "scant", "exudate_consistency": "serous",
                 "dressing_saturation": "partial"},
    "edge": {"condition": "attached", "epibole": "absent"},
}
PHOTO_ID = UUID("00000000-0000-4000-8000-0000000f0701")


def bio_complete(record: CaseRecord) -> CaseRecord:
    data = record.model_dump(mode="json")
    data["patient"].update(first_name="Testy", last_name="McTestface",
                           date_of_birth="1961-04-03", sex="unspecified", mrn="ZZTEST-0001")
    data["consent"].update(data_storage="granted", photography="granted",
                           team_board_sharing="declined", method="verbal")
    return CaseRecord.model_validate(data)


def complete_record(state: WorkflowState = WorkflowState.START, **overrides: Any) -> CaseRecord:
    """A record holding everything needed to have reached ``state`` (guards of every earlier
    forward event pass). Review, seal, signature and export are added as the state implies."""
    from woundcare.domain.machine import position

    record = new_record(**overrides)
    at = position(state)
    if at >= position(WorkflowState.WOUND_IMAGING):
        record = bio_complete(record)
    if at >= position(WorkflowState.VITALS):
        record = with_photo(patch(record, **{"wound.site": "left heel (synthetic)"}), PHOTO_ID)
    if at >= position(WorkflowState.TIME):
        record = patch(record, vitals=_json(COMPLETE_VITALS))
    if at >= position(WorkflowState.FOLLOW_UP):
        record = patch(record, time_assessment=_json(COMPLETE_TIME))
    if at >= position(WorkflowState.ASSEMBLE_JSON):
        record = record.model_copy(update={"review": ReviewAttestation(
            attested_by=CLINICIAN_ID, attested_at=FIXED_NOW, statement="Reviewed (synthetic).")})
    if at >= position(WorkflowState.LINK_TO_CLINICIAN):
        record = record.model_copy(update={"seal": FakeSealer().seal(record),
                                           "status": CaseStatus.READY_FOR_REVIEW})
    if at >= position(WorkflowState.STORE_SYNC):
        record = sign(record)
    if at >= position(WorkflowState.DONE):
        record = record.model_copy(update={
            "export": ExportRecord(exported_at=FIXED_NOW, exported_by=CLINICIAN_ID,
                                   destinations=["archive"]),
            "status": CaseStatus.LOCKED})
    return CaseRecord.model_validate(record.model_copy(update={"state": state})
                                     .model_dump(mode="json"))


def sign(record: CaseRecord, clinician_id: UUID = CLINICIAN_ID) -> CaseRecord:
    return record.model_copy(update={"pin_linkage": PinLinkage(
        clinician_id=clinician_id, signed_at=FIXED_NOW, record_digest=record_digest(record))})


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value



def synthetic_answer(field_path: str) -> str:
    """A follow-up answer that is a valid value for the question's field (answers are
    validated like direct edits); free text for questions that are not about one field."""
    fixed = {"patient.date_of_birth": "1961-04-03", "patient.sex": "unspecified",
             "patient.age": "64", "patient.first_name": "Testy", "patient.last_name": "Testcase",
             "wound.site": "left heel (synthetic)"}
    if field_path in fixed:
        return fixed[field_path]
    if field_path.endswith(".orientation"):
        return "lateral"
    if field_path.startswith("vitals.") or field_path == "patient.mrn":
        return "Not measured"
    if field_path.startswith("time_assessment.") and not field_path.endswith(
            ("tissue", "moisture")):
        return "unknown"
    return "Synthetic answer."
