"""Helpers for the storage tests: targets, synthetic seed data, plain case rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import insert

from tests.pg_harness import PgDatabase
from woundcare.storage import Database, Identity
from woundcare.storage.schema import artifacts, cases, patients, provenance, wounds

NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


@dataclass
class Target:
    kind: str
    app: Database
    owner: Database
    pg: PgDatabase | None = None


@dataclass
class World:
    org1: UUID
    org2: UUID
    a: Identity  # org 1, owns the case
    b: Identity  # org 1, colleague
    admin: Identity  # org 1, org admin
    c: Identity  # org 2
    case_id: UUID  # owned by A
    artifact_id: UUID
    provenance_id: UUID
    patient_id: UUID | None = None  # org 1's patient (identity row)


def insert_case(db: Database, *, org: UUID, owner: UUID, case_id: UUID | None = None) -> UUID:
    """A plain case row (the case repository is not part of this layer), as the owner."""
    case_id = case_id or uuid.uuid4()
    with db.engine.begin() as conn:
        conn.execute(insert(cases).values(**case_row(case_id, org, owner)))
    return case_id


def insert_identities(db: Database, *, org: UUID, by: UUID) -> tuple[UUID, UUID]:
    """A patient and a wound of ``org`` (identity rows only), as the owner."""
    patient_id, wound_id = uuid.uuid4(), uuid.uuid4()
    with db.engine.begin() as conn:
        conn.execute(insert(patients).values(id=patient_id, organisation_id=org, created_by=by,
                                             created_at=NOW))
        conn.execute(insert(wounds).values(id=wound_id, organisation_id=org,
                                           patient_id=patient_id, created_by=by,
                                           created_at=NOW))
    return patient_id, wound_id


def case_row(case_id: UUID, org: UUID, owner: UUID) -> dict[str, object]:
    return {
        "id": case_id,
        "organisation_id": org,
        "owner_id": owner,
        "state": "INTAKE",
        "status": "open",
        "version": 1,
        "consent_data_storage": "granted",
        "visit_number": 1,
        "payload": {},
        "encrypted_fields": {},
        "wrapped_dek": "wrapped-test-dek",
        "key_version": "v1",
        "created_at": NOW,
        "updated_at": NOW,
    }


def provenance_row(prov_id: UUID, case_id: UUID, org: UUID, seq: int) -> dict[str, object]:
    return {
        "id": prov_id,
        "case_id": case_id,
        "organisation_id": org,
        "seq": seq,
        "at": NOW,
        "actor_kind": "clinician",
        "actor_id": "test",
        "field_path": "wound.site",
        "state": "INTAKE",
        "prev_hash": "0" * 64,
        "hash": f"{seq:064d}",
    }


def artifact_row(artifact_id: UUID, case_id: UUID, org: UUID, by: UUID) -> dict[str, object]:
    return {
        "id": artifact_id,
        "case_id": case_id,
        "organisation_id": org,
        "kind": "wound_photo",
        "media_type": "image/png",
        "size_bytes": 10,
        "sha256": "a" * 64,
        "blob_key": f"blobs/{artifact_id}",
        "created_by": by,
        "created_at": NOW,
    }


def seed_world(target: Target) -> World:
    with target.owner.unit_of_work() as uow:
        org1 = uow.organisations.create("Test Clinic Alpha").id
        org2 = uow.organisations.create("Test Clinic Beta").id
        ids = {}
        for key, org, role in (
            ("a", org1, "clinician"),
            ("b", org1, "clinician"),
            ("admin", org1, "org_admin"),
            ("c", org2, "clinician"),
        ):
            clinician = uow.clinicians.create(
                email=f"{key}@example.test",
                display_name=f"Test Clinician {key.upper()}",
                password_hash=f"$argon2id$test-{key}",
                role=role,  # type: ignore[arg-type]
                organisation_id=org,
            )
            ids[key] = Identity(org, clinician.id, role)  # type: ignore[arg-type]
    case_id = insert_case(target.owner, org=org1, owner=ids["a"].clinician_id)
    patient_id, _ = insert_identities(target.owner, org=org1, by=ids["a"].clinician_id)
    artifact_id, prov_id = uuid.uuid4(), uuid.uuid4()
    with target.owner.engine.begin() as conn:
        conn.execute(insert(provenance).values(**provenance_row(prov_id, case_id, org1, 1)))
        conn.execute(
            insert(artifacts).values(
                **artifact_row(artifact_id, case_id, org1, ids["a"].clinician_id)
            )
        )
    return World(
        org1, org2, ids["a"], ids["b"], ids["admin"], ids["c"], case_id, artifact_id, prov_id,
        patient_id,
    )
