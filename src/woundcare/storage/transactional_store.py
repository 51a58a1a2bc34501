"""A case store that gives each call its own unit of work (for command-line tools such as
the demo; the HTTP API opens one unit of work per request and uses ``SqlCaseStore``)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from woundcare.crypto.devkeys import KeyMaterial
from woundcare.domain.provenance import ProvenanceDraft, ProvenanceEntry
from woundcare.domain.record import CaseRecord
from woundcare.storage.case_repository import SqlCaseStore, _Loaded
from woundcare.storage.database import Database
from woundcare.storage.identity import Identity


class TransactionalCaseStore:
    def __init__(self, db: Database, identity: Identity, keys: KeyMaterial) -> None:
        self.db, self.identity, self.keys = db, identity, keys
        # Data keys and chain heads seen so far; a stale head can never be written because
        # every update is guarded by the expected version.
        self._loaded: dict[UUID, _Loaded] = {}

    def _store(self, conn: object) -> SqlCaseStore:
        store = SqlCaseStore(conn, self.identity, self.keys)  # type: ignore[arg-type]
        store._loaded = self._loaded
        return store

    def create(
        self, record: CaseRecord, drafts: Sequence[ProvenanceDraft]
    ) -> list[ProvenanceEntry]:
        with self.db.unit_of_work(self.identity) as uow:
            return self._store(uow.conn).create(record, drafts)

    def load(self, case_id: UUID) -> CaseRecord:
        with self.db.unit_of_work(self.identity, read_only=True) as uow:
            return self._store(uow.conn).load(case_id)

    def save(
        self, record: CaseRecord, *, expected_version: int, drafts: Sequence[ProvenanceDraft]
    ) -> list[ProvenanceEntry]:
        with self.db.unit_of_work(self.identity) as uow:
            return self._store(uow.conn).save(
                record, expected_version=expected_version, drafts=drafts
            )

    def provenance(self, case_id: UUID) -> list[ProvenanceEntry]:
        with self.db.unit_of_work(self.identity, read_only=True) as uow:
            return self._store(uow.conn).provenance(case_id)

    def data_key(self, case_id: UUID) -> tuple[bytes, str]:
        with self.db.unit_of_work(self.identity, read_only=True) as uow:
            return self._store(uow.conn).data_key(case_id)
