"""An in-memory :class:`CaseStore`: the demo's and the unit tests' autosave."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from uuid import UUID

from woundcare.domain.errors import CaseNotFound, VersionConflict
from woundcare.domain.provenance import ProvenanceDraft, ProvenanceEntry, chain
from woundcare.domain.record import CaseRecord


class InMemoryCaseStore:
    def __init__(self) -> None:
        self._records: dict[UUID, str] = {}
        self._provenance: dict[UUID, list[ProvenanceEntry]] = {}
        self._lock = threading.Lock()
        self.saves = 0

    def create(
        self, record: CaseRecord, drafts: Sequence[ProvenanceDraft]
    ) -> list[ProvenanceEntry]:
        with self._lock:
            if record.case_id in self._records:
                raise VersionConflict(record.case_id, 0, record.version)
            entries = chain(record.case_id, drafts, prev_hash=None, start_seq=0)
            self._records[record.case_id] = record.model_dump_json()
            self._provenance[record.case_id] = list(entries)  # never the caller's list
            self.saves += 1
            return entries

    def load(self, case_id: UUID) -> CaseRecord:
        with self._lock:
            raw = self._records.get(case_id)
        if raw is None:
            raise CaseNotFound(case_id)
        return CaseRecord.model_validate_json(raw)

    def save(
        self, record: CaseRecord, *, expected_version: int, drafts: Sequence[ProvenanceDraft]
    ) -> list[ProvenanceEntry]:
        with self._lock:
            raw = self._records.get(record.case_id)
            if raw is None:
                raise CaseNotFound(record.case_id)
            current = CaseRecord.model_validate_json(raw).version
            if current != expected_version or record.version != expected_version + 1:
                raise VersionConflict(record.case_id, expected_version, current)
            existing = self._provenance[record.case_id]
            entries = chain(record.case_id, drafts,
                            prev_hash=existing[-1].hash if existing else None,
                            start_seq=len(existing))
            self._records[record.case_id] = record.model_dump_json()
            existing.extend(entries)
            self.saves += 1
            return entries

    def provenance(self, case_id: UUID) -> list[ProvenanceEntry]:
        with self._lock:
            if case_id not in self._provenance:
                raise CaseNotFound(case_id)
            return list(self._provenance[case_id])

    def case_ids(self) -> list[UUID]:
        with self._lock:
            return list(self._records)
