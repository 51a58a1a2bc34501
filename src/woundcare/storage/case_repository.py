"""The case repository: the workflow's autosave port on SQLite and PostgreSQL.

Every sensitive value is encrypted with the case's data key (AES-256-GCM, bound to case and
field path) before it reaches the database; the data key is stored wrapped by the active
key-encryption key. A step is written in one transaction with a fixed number of statements:
the case ``UPDATE`` guarded by the expected version, and one multi-row ``INSERT`` of its
provenance entries (plus the identity ``set_config`` on PostgreSQL and the ``SELECT`` that
loaded the case).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from woundcare.crypto import blind_index
from woundcare.crypto.devkeys import KeyMaterial
from woundcare.crypto.envelope import (
    WrappedKey,
    decrypt_field,
    encrypt_field,
    new_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from woundcare.crypto.search_hash import mrn_search_hash
from woundcare.domain.enums import CaseStatus, WorkflowState
from woundcare.domain.errors import CaseNotFound, RecordLocked, VersionConflict
from woundcare.domain.provenance import ProvenanceDraft, ProvenanceEntry, chain
from woundcare.domain.record import CaseRecord
from woundcare.domain.sensitive import merge_sensitive, split_sensitive
from woundcare.storage.database import Identity
from woundcare.storage.schema import (
    case_delegations,
    cases,
    patient_search_terms,
    patients,
    provenance,
    visit_plans,
    wounds,
)
from woundcare.storage.shredding import SHREDDED

if TYPE_CHECKING:
    from woundcare.storage.repositories.audit import CaseReadAudit


class CaseShredded(CaseNotFound):
    """The case's data key was destroyed (consent withdrawn): its content is gone."""

    code = "case_shredded"

    def __init__(self, case_id: UUID) -> None:
        super().__init__(case_id)
        self.message = "This case's content was destroyed after consent was withdrawn."


@dataclass
class _Loaded:
    dek: bytes
    head: str | None
    count: int
    search_fp: str | None = None  # the patient's searchable facts when loaded
    timeline: dict[str, int] | None = None  # cases.timeline_counts (None: not kept yet)


def _tally(counts: dict[str, int], entries: Sequence[ProvenanceEntry]) -> dict[str, int]:
    """``counts`` plus ``entries`` per workflow state; creation (event ``CREATE``) is not a
    change anyone made and is not counted (the same rule as :data:`_NOT_CREATION`)."""
    tally = dict(counts)
    for entry in entries:
        if entry.event != "CREATE":
            tally[entry.state.value] = tally.get(entry.state.value, 0) + 1
    return tally


@dataclass(frozen=True)
class CaseSummary:
    case_id: UUID
    state: WorkflowState
    status: CaseStatus
    version: int
    updated_at: datetime
    created_at: datetime
    owner_id: UUID
    visit_number: int


# Timeline rows shown to people: not the fields a new case starts with.
_NOT_CREATION = sa.or_(provenance.c.event.is_(None), provenance.c.event != "CREATE")


def visible_cases(identity: Identity) -> sa.ColumnElement[bool]:
    """The application-side scope (RLS enforces the same on PostgreSQL): the caller's
    organisation, and cases they own or that were delegated to them."""
    return _visible(identity.organisation_id, identity.clinician_id)


def _visible(org: Any, me: Any) -> sa.ColumnElement[bool]:
    """:func:`visible_cases` for an organisation and clinician given as values or as bound
    parameters (the hot statements below are built once with ``v_org`` and ``v_me``)."""
    delegated = sa.exists().where(
        case_delegations.c.case_id == cases.c.id,
        case_delegations.c.clinician_id == me,
    )
    return sa.and_(cases.c.organisation_id == org,
                   sa.or_(cases.c.owner_id == me, delegated))


# The hot statements of a read and an autosave, built once.
_VISIBLE_TO_PARAMS = _visible(sa.bindparam("v_org"), sa.bindparam("v_me"))
_CASE_ROW = sa.select(cases).where(cases.c.id == sa.bindparam("v_case"), _VISIBLE_TO_PARAMS)

_CASE_UPDATE = cases.update().where(
    cases.c.id == sa.bindparam("v_case"), cases.c.version == sa.bindparam("v_version"),
    _VISIBLE_TO_PARAMS)
_TIMELINE_COUNTS = (
    sa.select(provenance.c.state, sa.func.count())
    .where(provenance.c.case_id == sa.bindparam("v_case"),
           provenance.c.organisation_id == sa.bindparam("v_org"), _NOT_CREATION)
    .group_by(provenance.c.state))
_PROVENANCE_INSERT = provenance.insert()

# PostgreSQL: an autosave's case update and its provenance rows in one statement. The update
# is a data-modifying CTE; the rows come as one JSON array (jsonb_to_recordset: one parameter
# to adapt, not one per field) and are inserted only if the update matched (the guarded
# version), so the inserted count tells both. The update's parameters are named (s_): none may
# be a column's name inside a CTE.
_SAVED_COLUMNS = ("state", "status", "version", "consent_data_storage", "visit_number",
                  "previous_case_id", "payload", "encrypted_fields", "mrn_hash", "updated_at",
                  "provenance_head", "provenance_count", "timeline_counts")
_SAVED = _CASE_UPDATE.values(
    {name: sa.bindparam(f"s_{name}", type_=cases.c[name].type) for name in _SAVED_COLUMNS}
).returning(cases.c.id).cte("_saved")
_ENTRY_TYPES = {"id": "uuid", "case_id": "uuid", "organisation_id": "uuid", "seq": "integer",
                "at": "timestamptz", "actor_kind": "text", "actor_id": "text", "agent": "text",
                "field_path": "text", "state": "text", "event": "text",
                "source_artifact_id": "uuid", "prev_hash": "text", "hash": "text"}
assert set(_ENTRY_TYPES) == {column.name for column in provenance.c}
_ENTRY_ROWS = sa.text(
    "jsonb_to_recordset(CAST(:p_rows AS jsonb)) AS _entry("
    + ", ".join(f"{name} {kind}" for name, kind in _ENTRY_TYPES.items()) + ")")


def _json_value(value: object) -> str:
    """A provenance row's UUIDs and (timezone-aware, as UTC) times as JSON text."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime given to a timezone-aware column")
        return value.astimezone(UTC).isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


_SAVE_WITH_PROVENANCE = provenance.insert().from_select(
    list(_ENTRY_TYPES),
    sa.select(*[sa.column(name) for name in _ENTRY_TYPES]).select_from(_ENTRY_ROWS)
    .where(sa.exists(sa.select(_SAVED.c.id)))
).execution_options(preserve_rowcount=True)  # an INSERT's count is not kept otherwise


@functools.cache
def _case_row_audited() -> sa.Select[Any]:
    """PostgreSQL: a read and its audit event in one statement (the event only if the row is
    found). Built on first use: the audit repository loads PostgreSQL's dialect, which the
    embedded default never needs at start-up."""
    from woundcare.storage.repositories.audit import case_read_audit_cte

    return _CASE_ROW.add_cte(case_read_audit_cte(_CASE_ROW))


class SqlCaseStore:
    """One unit of work's view of the cases the identity may see."""

    def __init__(self, conn: Connection, identity: Identity, keys: KeyMaterial) -> None:
        self.conn = conn
        self.identity = identity
        self.keys = keys
        self._loaded: dict[UUID, _Loaded] = {}
        # Rows read in this unit of work, until this store writes them: a request that checks
        # a case and then runs a step on it reads the row once.
        self._rows: dict[UUID, RowMapping] = {}
        self._org_key: bytes | None = None

    # ------------------------------------------------------------------ encryption

    def _seal_values(self, record: CaseRecord, dek: bytes) -> tuple[dict[str, Any], dict[str, str]]:
        public, secrets = split_sensitive(record.model_dump(mode="json"))
        encrypted = {
            path: encrypt_field(dek, record.case_id, path, value) for path, value in secrets.items()
        }
        return public, encrypted

    # ------------------------------------------------------------------ search index

    @property
    def org_key(self) -> bytes:
        if self._org_key is None:
            self._org_key = blind_index.organisation_key(self.keys.search_hmac_key,
                                                         self.identity.organisation_id)
        return self._org_key

    @staticmethod
    def patient_keys(record: CaseRecord) -> blind_index.PatientKeys:
        p = record.patient
        return blind_index.patient_keys(p.first_name, p.preferred_name, p.last_name,
                                        p.date_of_birth, p.mrn)

    def _write_search_terms(self, record: CaseRecord, *, replace: bool) -> str:
        """Index the record's patient (two statements, only when a searchable fact changed)."""
        keys = self.patient_keys(record)
        if replace:
            self.conn.execute(patient_search_terms.delete().where(
                patient_search_terms.c.case_id == record.case_id,
                patient_search_terms.c.organisation_id == self.identity.organisation_id))
        terms = blind_index.index_terms(self.org_key, keys)
        if terms:
            self.conn.execute(patient_search_terms.insert(), [
                {"case_id": record.case_id, "organisation_id": self.identity.organisation_id,
                 "digest": term} for term in sorted(terms)])
        return keys.fingerprint()

    def reindex(self, record: CaseRecord) -> None:
        """Replace the case's index entries (an operator's rebuild)."""
        self._write_search_terms(record, replace=True)

    def _cases_with(self, digests: set[str]) -> dict[UUID, set[str]]:
        """Visible cases holding any of ``digests``, with the ones each holds."""
        if not digests:
            return {}
        rows = self.conn.execute(
            sa.select(patient_search_terms.c.case_id, patient_search_terms.c.digest)
            .join(cases, sa.and_(cases.c.id == patient_search_terms.c.case_id,
                                 cases.c.organisation_id == patient_search_terms.c.organisation_id))
            .where(patient_search_terms.c.organisation_id == self.identity.organisation_id,
                   patient_search_terms.c.digest.in_(sorted(digests)),
                   visible_cases(self.identity))
        )
        found: dict[UUID, set[str]] = {}
        for case_id, value in rows:
            found.setdefault(case_id, set()).add(value)
        return found

    def search(self, text: str | None = None, mrn: str | None = None) -> set[UUID]:
        """Visible cases whose patient matches every word of ``text`` (name prefixes, dates of
        birth, MRN parts) and, if given, the MRN part ``mrn``."""
        groups = blind_index.query_digests(self.org_key, text or "")
        if mrn:
            groups.append(blind_index.mrn_query_digests(self.org_key, mrn))
        groups = [g for g in groups if g]
        if not groups:
            return set()
        found = self._cases_with(set().union(*groups))
        return {case_id for case_id, held in found.items() if all(held & g for g in groups)}

    def possible_duplicates(self, record: CaseRecord) -> dict[UUID, list[str]]:
        """Other visible cases that may be the same patient, with why: the same MRN, or the
        same full name and date of birth."""
        reasons = blind_index.duplicate_digests(self.org_key, self.patient_keys(record))
        found = self._cases_with(set().union(*reasons.values()))
        out: dict[UUID, list[str]] = {}
        for case_id, held in found.items():
            if case_id != record.case_id:
                out[case_id] = [why for why, digests in reasons.items() if held & digests]
        return out

    def _mrn_hash(self, record: CaseRecord) -> str | None:
        mrn = record.patient.mrn
        return None if mrn is None else mrn_search_hash(self.keys.search_hmac_key, mrn)

    def _columns(self, record: CaseRecord, dek: bytes) -> dict[str, Any]:
        public, encrypted = self._seal_values(record, dek)
        return {
            "state": record.state.value,
            "status": record.status.value,
            "version": record.version,
            "consent_data_storage": record.consent.data_storage.value,
            "visit_number": record.visit_number,
            "previous_case_id": record.previous_case_id,
            "payload": public,
            "encrypted_fields": encrypted,
            "mrn_hash": self._mrn_hash(record),
            "updated_at": record.updated_at,
        }

    # ------------------------------------------------------------------ CaseStore

    def create(
        self, record: CaseRecord, drafts: Sequence[ProvenanceDraft]
    ) -> list[ProvenanceEntry]:
        if record.organisation_id != self.identity.organisation_id:
            raise CaseNotFound(record.case_id)
        dek = new_data_key()
        wrapped = wrap_data_key(self.keys.keyring, record.case_id, dek)
        entries = chain(record.case_id, drafts, prev_hash=None, start_seq=0)
        self._ensure_identities(record)
        self.conn.execute(
            cases.insert().values(
                id=record.case_id,
                organisation_id=record.organisation_id,
                owner_id=record.owner_id,
                patient_id=record.patient_id,
                wound_id=record.wound_id,
                wrapped_dek=wrapped.blob,
                key_version=wrapped.version,
                created_at=record.created_at,
                provenance_head=entries[-1].hash if entries else None,
                provenance_count=len(entries),
                timeline_counts=_tally({}, entries),
                **self._columns(record, dek),
            )
        )
        self._insert_provenance(entries)
        fingerprint = self._write_search_terms(record, replace=False)
        self._loaded[record.case_id] = _Loaded(
            dek, entries[-1].hash if entries else None, len(entries), fingerprint
        )
        return entries

    def _ensure_identities(self, record: CaseRecord) -> None:
        """The patient and wound rows a new case refers to (created with the case when new)."""
        org = self.identity.organisation_id
        if record.patient_id is not None and self.conn.execute(
                sa.select(patients.c.id).where(patients.c.id == record.patient_id,
                                               patients.c.organisation_id == org)
        ).first() is None:
            self.conn.execute(patients.insert().values(
                id=record.patient_id, organisation_id=org,
                created_by=self.identity.clinician_id, created_at=record.created_at))
        if record.wound_id is not None and self.conn.execute(
                sa.select(wounds.c.id).where(wounds.c.id == record.wound_id,
                                             wounds.c.organisation_id == org)
        ).first() is None:
            self.conn.execute(wounds.insert().values(
                id=record.wound_id, organisation_id=org, patient_id=record.patient_id,
                created_by=self.identity.clinician_id, created_at=record.created_at))

    def _scope(self, case_id: UUID) -> dict[str, Any]:
        return {"v_case": case_id, "v_org": self.identity.organisation_id,
                "v_me": self.identity.clinician_id}

    def _row(self, case_id: UUID, audit: CaseReadAudit | None = None) -> RowMapping:
        if audit is not None:
            row = self.conn.execute(_case_row_audited(),
                                    {**self._scope(case_id), **audit.params()}).mappings().first()
        else:
            row = self.conn.execute(_CASE_ROW, self._scope(case_id)).mappings().first()
        if row is None:
            raise CaseNotFound(case_id)
        self._rows[case_id] = row
        return row

    @property
    def audits_reads(self) -> bool:
        """Whether :meth:`load` can write a read's audit event in its own statement
        (PostgreSQL's data-modifying CTEs; SQLite has none)."""
        return self.conn.dialect.name == "postgresql"

    def state_of(self, case_id: UUID) -> str:
        """The case's workflow state from its row, without opening the record (the row is
        kept for this transaction's :meth:`load`, so a write still reads the case once)."""
        row = self._rows.get(case_id)
        return str((row if row is not None else self._row(case_id))["state"])

    def data_key(self, case_id: UUID) -> tuple[bytes, str]:
        """The case's data key and its wrapping key version (for the steward's sealer)."""
        row = self._row(case_id)
        if row["key_version"] == SHREDDED:
            raise CaseShredded(case_id)
        wrapped = WrappedKey(version=row["key_version"], blob=row["wrapped_dek"])
        return unwrap_data_key(self.keys.keyring, case_id, wrapped), row["key_version"]

    def record_from_row(self, row: RowMapping) -> CaseRecord:
        case_id: UUID = row["id"]
        if row["key_version"] == SHREDDED:  # a tombstone: no key, no secrets, nothing to open
            self._loaded[case_id] = _Loaded(b"", row["provenance_head"], row["provenance_count"],
                                            timeline=row["timeline_counts"])
            return CaseRecord.model_validate(_json(row["payload"]))
        wrapped = WrappedKey(version=row["key_version"], blob=row["wrapped_dek"])
        dek = unwrap_data_key(self.keys.keyring, case_id, wrapped)
        encrypted: dict[str, str] = _json(row["encrypted_fields"])
        secrets = {
            path: decrypt_field(dek, case_id, path, token) for path, token in encrypted.items()
        }
        data = merge_sensitive(_json(row["payload"]), secrets)
        for name in ("patient_id", "wound_id"):  # cases older than the identities: columns
            if data.get(name) is None and row.get(name) is not None:
                data[name] = str(row[name])
        record = CaseRecord.model_validate(data)
        self._loaded[case_id] = _Loaded(dek, row["provenance_head"], row["provenance_count"],
                                        self.patient_keys(record).fingerprint(),
                                        row["timeline_counts"])
        return record

    def load(self, case_id: UUID, *, audit: CaseReadAudit | None = None) -> CaseRecord:
        """The case as this transaction last read it (one SELECT per transaction until the
        next save; every save re-reads). ``audit`` (only where :attr:`audits_reads`): the
        SELECT also appends that event, written only if the case is found; the case must not
        have been read yet in this transaction."""
        row = self._rows.get(case_id)
        if audit is not None and (row is not None or not self.audits_reads):
            raise ValueError("a fused read audit needs a first read on PostgreSQL")
        return self.record_from_row(row if row is not None else self._row(case_id, audit))

    def save(
        self, record: CaseRecord, *, expected_version: int, drafts: Sequence[ProvenanceDraft]
    ) -> list[ProvenanceEntry]:
        loaded = self._loaded.get(record.case_id)
        if loaded is None:
            self.load(record.case_id)
            loaded = self._loaded[record.case_id]
        if not loaded.dek:  # shredded: the record can never change again
            raise RecordLocked()
        if record.version != expected_version + 1:
            raise VersionConflict(record.case_id, expected_version, None)
        entries = chain(record.case_id, drafts, prev_hash=loaded.head, start_seq=loaded.count)
        head = entries[-1].hash if entries else loaded.head
        before = loaded.timeline
        if before is None:  # a row saved before the column existed: count it once
            before = self._count_timeline(record.case_id)
        timeline = _tally(before, entries)
        values = {"provenance_head": head, "provenance_count": loaded.count + len(entries),
                  "timeline_counts": timeline, **self._columns(record, loaded.dek)}
        scope = {**self._scope(record.case_id), "v_version": expected_version}
        self._rows.pop(record.case_id, None)
        if entries and self.conn.dialect.name == "postgresql":
            result = self.conn.execute(_SAVE_WITH_PROVENANCE, {
                **scope, **{f"s_{name}": value for name, value in values.items()},
                "p_rows": json.dumps(self._entry_rows(entries), default=_json_value)})
            if result.rowcount != len(entries):
                raise VersionConflict(record.case_id, expected_version, None)
        else:
            result = self.conn.execute(_CASE_UPDATE, {**scope, **values})
            if result.rowcount != 1:
                raise VersionConflict(record.case_id, expected_version, None)
            self._insert_provenance(entries)
        fingerprint = self.patient_keys(record).fingerprint()
        if fingerprint != loaded.search_fp:
            fingerprint = self._write_search_terms(record, replace=True)
        self._loaded[record.case_id] = _Loaded(loaded.dek, head, loaded.count + len(entries),
                                               fingerprint, timeline)
        return entries

    def provenance(self, case_id: UUID) -> list[ProvenanceEntry]:
        self._row(case_id)
        rows = self.conn.execute(
            sa.select(provenance)
            .where(
                provenance.c.case_id == case_id,
                provenance.c.organisation_id == self.identity.organisation_id,
            )
            .order_by(provenance.c.seq)
        ).mappings()
        return [entry_from_row(row) for row in rows]

    def timeline_counts(self, case_id: UUID) -> dict[str, int]:
        """How many provenance entries each workflow state holds (the snapshot's timeline
        shows counts; the entries themselves are paged by :meth:`timeline_page`). The fields
        a case starts with (event ``CREATE``) are not changes anyone made: not counted. Kept
        on the case row by every save (no query when this unit of work has read the case)."""
        loaded = self._loaded.get(case_id)
        if loaded is None:
            self.load(case_id)
            loaded = self._loaded[case_id]
        if loaded.timeline is not None:
            return dict(loaded.timeline)
        return self._count_timeline(case_id)

    def _count_timeline(self, case_id: UUID) -> dict[str, int]:
        rows = self.conn.execute(_TIMELINE_COUNTS, self._scope(case_id))
        return {state: int(count) for state, count in rows}

    def timeline_page(self, case_id: UUID, *, before: int | None, limit: int,
                      state: str | None = None) -> list[dict[str, Any]]:
        """Up to ``limit`` timeline rows, newest first, with ``seq < before`` (a cursor) and,
        if given, in one workflow ``state``. The caller has already loaded the case."""
        query = (
            sa.select(provenance.c.seq, provenance.c.at, provenance.c.actor_kind,
                      provenance.c.agent, provenance.c.field_path, provenance.c.event,
                      provenance.c.state)
            .where(provenance.c.case_id == case_id,
                   provenance.c.organisation_id == self.identity.organisation_id,
                   _NOT_CREATION)
            .order_by(provenance.c.seq.desc())
            .limit(limit)
        )
        if before is not None:
            query = query.where(provenance.c.seq < before)
        if state is not None:
            query = query.where(provenance.c.state == state)
        return [{"seq": seq, "at": _aware(at).isoformat(), "actor_kind": kind, "agent": agent,
                 "field_path": path, "event": event, "state": row_state}
                for seq, at, kind, agent, path, event, row_state in self.conn.execute(query)]

    def _insert_provenance(self, entries: Sequence[ProvenanceEntry]) -> None:
        if not entries:
            return
        self.conn.execute(_PROVENANCE_INSERT, self._entry_rows(entries))

    def _entry_rows(self, entries: Sequence[ProvenanceEntry]) -> list[dict[str, Any]]:
        return [
            {
                "id": e.entry_id,
                "case_id": e.case_id,
                "organisation_id": self.identity.organisation_id,
                "seq": e.seq,
                "at": e.at,
                "actor_kind": e.actor_kind.value,
                "actor_id": e.actor_id,
                "agent": e.agent,
                "field_path": e.field_path,
                "state": e.state.value,
                "event": e.event,
                "source_artifact_id": e.source_artifact_id,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in entries
        ]

    # ------------------------------------------------------------------ queries

    def list_cases(
        self,
        *,
        state: WorkflowState | None = None,
        status: CaseStatus | None = None,
        limit: int = 20,
        offset: int = 0,
        ids: set[UUID] | None = None,
    ) -> tuple[list[RowMapping], int]:
        """A page of visible cases, most recently updated first, and the total count (of the
        cases in ``ids`` only, when given: a search's matches)."""
        if ids is not None and not ids:
            return [], 0
        where = [visible_cases(self.identity)]
        if ids is not None:
            where.append(cases.c.id.in_(sorted(ids, key=str)))
        if state is not None:
            where.append(cases.c.state == state.value)
        if status is not None:
            where.append(cases.c.status == status.value)
        total = self.conn.execute(
            sa.select(sa.func.count()).select_from(cases).where(*where)
        ).scalar_one()
        rows = (
            self.conn.execute(
                sa.select(cases)
                .where(*where)
                .order_by(cases.c.updated_at.desc(), cases.c.id)
                .limit(limit)
                .offset(offset)
            )
            .mappings()
            .all()
        )
        return list(rows), int(total)

    # ------------------------------------------------------------------ visit plans

    def set_next_visit(self, case_id: UUID, due_on: date | None, *, at: datetime) -> None:
        """Record (or clear) when the clinician wants to see the patient again."""
        self._row(case_id)  # visible, or CaseNotFound
        self.conn.execute(visit_plans.delete().where(
            visit_plans.c.case_id == case_id,
            visit_plans.c.organisation_id == self.identity.organisation_id))
        if due_on is not None:
            self.conn.execute(visit_plans.insert().values(
                case_id=case_id, organisation_id=self.identity.organisation_id, due_on=due_on,
                set_by=self.identity.clinician_id, set_at=at))

    def next_visits(self, case_ids: Sequence[UUID]) -> dict[UUID, date]:
        if not case_ids:
            return {}
        rows = self.conn.execute(
            sa.select(visit_plans.c.case_id, visit_plans.c.due_on)
            .join(cases, sa.and_(cases.c.id == visit_plans.c.case_id,
                                 cases.c.organisation_id == visit_plans.c.organisation_id))
            .where(visit_plans.c.organisation_id == self.identity.organisation_id,
                   visit_plans.c.case_id.in_(list(case_ids)), visible_cases(self.identity)))
        return dict(rows.all())  # a Row is a (case_id, due_on) pair

    def find_by_mrn(self, mrn: str) -> list[UUID]:
        digest = mrn_search_hash(self.keys.search_hmac_key, mrn)
        rows = self.conn.execute(
            sa.select(cases.c.id).where(cases.c.mrn_hash == digest, visible_cases(self.identity))
        ).scalars()
        return list(rows)


def entry_from_row(row: RowMapping) -> ProvenanceEntry:
    return ProvenanceEntry(
        entry_id=row["id"],
        case_id=row["case_id"],
        seq=row["seq"],
        at=_aware(row["at"]),
        actor_kind=row["actor_kind"],
        actor_id=row["actor_id"],
        agent=row["agent"],
        field_path=row["field_path"],
        state=row["state"],
        event=row["event"],
        source_artifact_id=row["source_artifact_id"],
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
