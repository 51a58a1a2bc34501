"""Ports the workflow needs from the outside world, as small protocols.

Storage, cryptography and identity adapters implement them; tests and the in-memory demo
use simple implementations.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

from woundcare.domain.provenance import ProvenanceDraft, ProvenanceEntry
from woundcare.domain.record import CaseRecord, Seal
from woundcare.intake.models import ParsedIntake


class CaseStore(Protocol):
    """The autosave port: persists a record and its new provenance entries atomically."""

    def create(
        self, record: CaseRecord, drafts: Sequence[ProvenanceDraft]
    ) -> list[ProvenanceEntry]: ...

    def load(self, case_id: UUID) -> CaseRecord: ...

    def save(
        self, record: CaseRecord, *, expected_version: int, drafts: Sequence[ProvenanceDraft]
    ) -> list[ProvenanceEntry]:
        """Write ``record`` (whose version is ``expected_version + 1``) only if the stored
        version is still ``expected_version``; raise ``VersionConflict`` otherwise. The record
        and the entries are written together or not at all."""
        ...

    def provenance(self, case_id: UUID) -> list[ProvenanceEntry]: ...


class PinVerifier(Protocol):
    def verify(self, clinician_id: UUID, pin: str) -> None:
        """Return if the PIN is right; raise ``PinRejected`` (or a lockout error) if not."""
        ...


class Sealer(Protocol):
    def seal(self, record: CaseRecord) -> Seal:
        """Encrypt every sensitive value of ``record`` under the active key; say which."""
        ...


class Exporter(Protocol):
    def deliver(self, record: CaseRecord, destinations: Sequence[str]) -> list[str]: ...


IntakeParser = Callable[[str], ParsedIntake]


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
