"""The relational schema, as SQLAlchemy Core tables.

Tenant consistency is enforced by the schema itself on both dialects: every child row carries
its ``organisation_id`` and references its parent by ``(id, organisation_id)``, so a case can
never point at a clinician, and an artifact or provenance entry can never point at a case, of
another organisation. PostgreSQL row-level security (see the migrations) is the second layer.

Timestamps are :class:`~woundcare.storage.types.UTCDateTime` (aware, UTC); repositories pass
them explicitly (from an injectable clock) rather than relying on server defaults.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)

from woundcare.storage.types import JsonType, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

ROLES = ("clinician", "org_admin")

organisations = Table(
    "organisations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

clinicians = Table(
    "clinicians",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("organisation_id", Uuid, ForeignKey("organisations.id"), nullable=False),
    Column("email", String(320), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("pin_hash", Text, nullable=True),
    Column("pin_set_at", UTCDateTime, nullable=True),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("id", "organisation_id"),
    CheckConstraint("email = lower(email)", name="email_lower"),
    CheckConstraint("role IN ('clinician', 'org_admin')", name="role_known"),
)

patients = Table(
    "patients",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("organisation_id", Uuid, ForeignKey("organisations.id"), nullable=False),
    Column("created_by", Uuid, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("id", "organisation_id"),
    ForeignKeyConstraint(
        ["created_by", "organisation_id"], ["clinicians.id", "clinicians.organisation_id"]
    ),
)

wounds = Table(
    "wounds",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("organisation_id", Uuid, nullable=False),
    Column("patient_id", Uuid, nullable=False),
    Column("created_by", Uuid, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("id", "patient_id", "organisation_id"),
    ForeignKeyConstraint(
        ["patient_id", "organisation_id"], ["patients.id", "patients.organisation_id"]
    ),
    ForeignKeyConstraint(
        ["created_by", "organisation_id"], ["clinicians.id", "clinicians.organisation_id"]
    ),
    Index("ix_wounds_patient_id", "patient_id"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("organisation_id", Uuid, ForeignKey("organisations.id"), nullable=False),
    Column("owner_id", Uuid, nullable=False),
    Column("state", String(64), nullable=False),
    Column("status", String(64), nullable=False),
    Column("version", Integer, nullable=False, server_default=text("0")),
    Column("consent_data_storage", Text, nullable=False),
    Column("visit_number", Integer, nullable=False, server_default=text("1")),
    Column("previous_case_id", Uuid, nullable=True),
    Column("patient_id", Uuid, nullable=True),
    Column("wound_id", Uuid, nullable=True),
    Column("payload", JsonType, nullable=False),
    Column("encrypted_fields", JsonType, nullable=False),
    Column("wrapped_dek", Text, nullable=False),
    Column("key_version", Text, nullable=False),
    Column("mrn_hash", Text, nullable=True),
    Column("provenance_head", Text, nullable=True),
    Column("provenance_count", Integer, nullable=False, server_default=text("0")),
    # Provenance entries per workflow state (not counting creation), kept by every save.
    Column("timeline_counts", JsonType, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("id", "organisation_id"),
    ForeignKeyConstraint(
        ["owner_id", "organisation_id"], ["clinicians.id", "clinicians.organisation_id"]
    ),
    ForeignKeyConstraint(
        ["previous_case_id", "organisation_id"],
        ["cases.id", "cases.organisation_id"],
        name="fk_cases_previous_case_id_cases",
    ),
    ForeignKeyConstraint(
        ["patient_id", "organisation_id"], ["patients.id", "patients.organisation_id"],
        name="fk_cases_patient_id_patients",
    ),
    ForeignKeyConstraint(
        ["wound_id", "patient_id", "organisation_id"],
        ["wounds.id", "wounds.patient_id", "wounds.organisation_id"],
        name="fk_cases_wound_id_wounds",
    ),
    CheckConstraint("version >= 0", name="version_non_negative"),
    Index("ix_cases_owner_state_updated", "owner_id", "state", text("updated_at DESC")),
    Index("ix_cases_org_updated", "organisation_id", text("updated_at DESC")),
    Index("ix_cases_org_mrn_hash", "organisation_id", "mrn_hash"),
    Index("ix_cases_patient_id", "patient_id"),
    Index("ix_cases_wound_id", "wound_id"),
)

# The keyed blind index of a case's patient (crypto/blind_index.py): HMAC digests of name
# prefixes, date of birth and MRN parts under the organisation's key; never a value in clear.
patient_search_terms = Table(
    "patient_search_terms",
    metadata,
    Column("case_id", Uuid, nullable=False),
    Column("organisation_id", Uuid, nullable=False),
    Column("digest", String(64), nullable=False),
    PrimaryKeyConstraint("case_id", "digest"),
    ForeignKeyConstraint(
        ["case_id", "organisation_id"], ["cases.id", "cases.organisation_id"], ondelete="CASCADE"
    ),
    Index("ix_patient_search_terms_org_digest", "organisation_id", "digest"),
)

# When the clinician wants to see the patient again (the home page's "visits due"): a date,
# who set it and when; no clinical content.
visit_plans = Table(
    "visit_plans",
    metadata,
    Column("case_id", Uuid, nullable=False),
    Column("organisation_id", Uuid, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("set_by", Uuid, nullable=False),
    Column("set_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("case_id"),
    ForeignKeyConstraint(
        ["case_id", "organisation_id"], ["cases.id", "cases.organisation_id"], ondelete="CASCADE"
    ),
    Index("ix_visit_plans_org_due", "organisation_id", "due_on"),
)

case_delegations = Table(
    "case_delegations",
    metadata,
    Column("case_id", Uuid, nullable=False),
    Column("clinician_id", Uuid, nullable=False),
    Column("organisation_id", Uuid, nullable=False),
    Column("granted_by", Uuid, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("case_id", "clinician_id"),
    ForeignKeyConstraint(
        ["case_id", "organisation_id"], ["cases.id", "cases.organisation_id"], ondelete="CASCADE"
    ),
    ForeignKeyConstraint(
        ["clinician_id", "organisation_id"], ["clinicians.id", "clinicians.organisation_id"]
    ),
    Index("ix_case_delegations_clinician_id", "clinician_id"),
)

artifacts = Table(
    "artifacts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("case_id", Uuid, nullable=False),
    Column("organisation_id", Uuid, nullable=False),
    Column("kind", String(64), nullable=False),
    Column("media_type", String(128), nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("blob_key", Text, nullable=False),
    Column("created_by", Uuid, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("quality", JsonType, nullable=True),
    ForeignKeyConstraint(["case_id", "organisation_id"], ["cases.id", "cases.organisation_id"]),
    Index("ix_artifacts_case_id", "case_id"),
)

provenance = Table(
    "provenance",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("case_id", Uuid, nullable=False),
    Column("organisation_id", Uuid, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor_kind", String(32), nullable=False),
    Column("actor_id", Text, nullable=False),
    Column("agent", String(64), nullable=True),
    Column("field_path", Text, nullable=False),
    Column("state", String(64), nullable=False),
    Column("event", String(64), nullable=True),
    Column("source_artifact_id", Uuid, nullable=True),
    Column("prev_hash", Text, nullable=False),
    Column("hash", Text, nullable=False),
    UniqueConstraint("case_id", "seq"),
    ForeignKeyConstraint(["case_id", "organisation_id"], ["cases.id", "cases.organisation_id"]),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("organisation_id", Uuid, nullable=True),
    Column("actor_id", Uuid, nullable=True),
    Column("action", String(64), nullable=False),
    Column("case_id", Uuid, nullable=True),  # no FK: attempts on foreign/absent cases count
    Column("agent", String(64), nullable=True),
    Column("state", String(64), nullable=True),
    Column("consent_flag", String(64), nullable=True),
    Column("outcome", String(32), nullable=False),
    Column("request_id", String(128), nullable=True),
    Column("client_hash", String(128), nullable=True),
    Column("detail", JsonType, nullable=True),  # never PHI
    Index("ix_audit_events_case_id_at", "case_id", "at"),
    Index("ix_audit_events_actor_id_at", "actor_id", "at"),
)

pin_attempts = Table(
    "pin_attempts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("clinician_id", Uuid, nullable=False),
    Column("organisation_id", Uuid, nullable=False),
    Column("client_hash", String(128), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("success", Boolean, nullable=False),
    ForeignKeyConstraint(
        ["clinician_id", "organisation_id"], ["clinicians.id", "clinicians.organisation_id"]
    ),
    Index("ix_pin_attempts_clinician_client_at", "clinician_id", "client_hash", "at"),
)

pin_lockouts = Table(
    "pin_lockouts",
    metadata,
    Column("clinician_id", Uuid, nullable=False),
    Column("client_hash", String(128), nullable=False),
    Column("organisation_id", Uuid, nullable=False),
    Column("locked_until", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("clinician_id", "client_hash"),
    ForeignKeyConstraint(
        ["clinician_id", "organisation_id"], ["clinicians.id", "clinicians.organisation_id"]
    ),
)

login_sessions = Table(
    "login_sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("token_hash", String(128), nullable=False, unique=True),
    Column("clinician_id", Uuid, nullable=False),
    Column("organisation_id", Uuid, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("absolute_expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
    Column("csrf_token_hash", String(128), nullable=False),
    Column("client_hash", String(128), nullable=True),
    ForeignKeyConstraint(
        ["clinician_id", "organisation_id"], ["clinicians.id", "clinicians.organisation_id"]
    ),
)

idempotency_records = Table(
    "idempotency_records",
    metadata,
    Column("clinician_id", Uuid, nullable=False),
    Column("key", String(200), nullable=False),
    Column("organisation_id", Uuid, nullable=False),
    Column("method", String(10), nullable=False),
    Column("path", Text, nullable=False),
    Column("request_hash", String(128), nullable=False),
    # No response body (it held patient data in clear): a replay rebuilds the answer from
    # the case. NULL status: claimed by a write still in its transaction.
    Column("status_code", Integer, nullable=True),
    Column("case_id", Uuid, nullable=True),
    Column("version", Integer, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("clinician_id", "key"),
    ForeignKeyConstraint(
        ["clinician_id", "organisation_id"], ["clinicians.id", "clinicians.organisation_id"]
    ),
    Index("ix_idempotency_records_created_at", "created_at"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("organisation_id", Uuid, nullable=False),
    Column("case_id", Uuid, nullable=False),
    Column("kind", String(32), nullable=False),  # report | report_drop | fhir | team_board
    Column("status", String(16), nullable=False),  # pending | in_progress | delivered | dead
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("max_attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("lease_until", UTCDateTime, nullable=True),
    Column("last_error", String(64), nullable=True),  # a stable code, never PHI
    Column("result_blob_key", Text, nullable=True),  # the rendered report (encrypted blob)
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("delivered_at", UTCDateTime, nullable=True),
    UniqueConstraint("case_id", "kind"),
    ForeignKeyConstraint(["case_id", "organisation_id"], ["cases.id", "cases.organisation_id"]),
    CheckConstraint("status IN ('pending', 'in_progress', 'delivered', 'dead')",
                    name="status_known"),
    Index("ix_outbox_status_next", "status", "next_attempt_at"),
)

shred_requests = Table(
    "shred_requests",
    metadata,
    Column("case_id", Uuid, primary_key=True),
    Column("organisation_id", Uuid, nullable=False),
    Column("requested_by", Uuid, nullable=False),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("reason_code", String(32), nullable=False),
    Column("shredded_at", UTCDateTime, nullable=True),
    ForeignKeyConstraint(["case_id", "organisation_id"], ["cases.id", "cases.organisation_id"]),
)

#: Tables holding an organisation's data: row-level security applies to all of them.
TENANT_TABLES: tuple[str, ...] = (
    "organisations",
    "clinicians",
    "cases",
    "case_delegations",
    "artifacts",
    "provenance",
    "audit_events",
    "pin_attempts",
    "pin_lockouts",
    "login_sessions",
    "idempotency_records",
    "outbox",
    "shred_requests",
    "patients",
    "wounds",
)
