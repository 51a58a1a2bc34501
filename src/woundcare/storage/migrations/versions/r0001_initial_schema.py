"""Initial schema: every table; on PostgreSQL also row-level security, the SECURITY DEFINER
functions for pre-authentication, and the grants for the application role.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Frozen: this file describes the schema as of this revision and must not import the live
schema module. Later changes go in later revisions.

PostgreSQL model
----------------
* The identity of the request arrives per transaction in the settings ``woundcare.org_id``,
  ``woundcare.clinician_id`` and ``woundcare.role``; ``wc_org_id()``, ``wc_clinician_id()`` and
  ``wc_is_org_admin()`` read them ('' or unset means "nobody": every tenant policy is false).
* Every tenant table has ``ENABLE`` + ``FORCE ROW LEVEL SECURITY``. Tenant policies apply to
  every role; the migrating (owner) role additionally gets an explicit ``owner_all`` policy so
  operator tools and the definer functions work, while the table owner's access stays visible
  in ``pg_policies`` instead of hiding in a role attribute.
* The application role gets only the table and column privileges it needs. Provenance and
  audit events: SELECT and INSERT only. Cases: no DELETE, and UPDATE only on columns other than
  ``id``/``organisation_id``/``owner_id``/``created_at`` (ownership cannot be moved by the app).
  Clinicians: the password and PIN hashes are not SELECTable; the definer functions return the
  login candidate by e-mail and the caller's own PIN hash.
* ``wc_owns_case()`` is SECURITY DEFINER to break the cases <-> case_delegations policy cycle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

TENANT_TABLES = (
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
)

# Helper functions read by the policies. Not SECURITY DEFINER; callable by everyone.
_HELPERS = """
CREATE FUNCTION {s}.wc_org_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT NULLIF(pg_catalog.current_setting('woundcare.org_id', true), '')::uuid $$;
CREATE FUNCTION {s}.wc_clinician_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT NULLIF(pg_catalog.current_setting('woundcare.clinician_id', true), '')::uuid $$;
CREATE FUNCTION {s}.wc_role() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT NULLIF(pg_catalog.current_setting('woundcare.role', true), '') $$;
CREATE FUNCTION {s}.wc_is_org_admin() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT COALESCE({s}.wc_role() = 'org_admin', false) $$;
"""

_DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, {s}, pg_temp"

# SECURITY DEFINER functions: run as the owner, return only what the caller needs.
_DEFINERS = (
    """
CREATE FUNCTION {s}.wc_owns_case(p_case_id uuid) RETURNS boolean
LANGUAGE sql STABLE {definer} AS $$
  SELECT EXISTS (
    SELECT 1 FROM {s}.cases c
     WHERE c.id = p_case_id
       AND c.owner_id = {s}.wc_clinician_id()
       AND c.organisation_id = {s}.wc_org_id())
$$""",
    """
CREATE FUNCTION {s}.wc_login_lookup(p_email text)
RETURNS TABLE (id uuid, organisation_id uuid, role text, active boolean, password_hash text)
LANGUAGE sql STABLE {definer} AS $$
  SELECT c.id, c.organisation_id, c.role::text, c.active, c.password_hash
    FROM {s}.clinicians c
   WHERE c.email = lower(p_email)
$$""",
    """
CREATE FUNCTION {s}.wc_session_lookup(p_token_hash text)
RETURNS TABLE (id uuid, clinician_id uuid, organisation_id uuid, created_at timestamptz,
               last_seen_at timestamptz, absolute_expires_at timestamptz,
               revoked_at timestamptz, csrf_token_hash text, client_hash text, role text,
               clinician_active boolean)
LANGUAGE sql STABLE {definer} AS $$
  SELECT s.id, s.clinician_id, s.organisation_id, s.created_at, s.last_seen_at,
         s.absolute_expires_at, s.revoked_at, s.csrf_token_hash::text, s.client_hash::text,
         c.role::text, c.active
    FROM {s}.login_sessions s
    JOIN {s}.clinicians c ON c.id = s.clinician_id AND c.organisation_id = s.organisation_id
   WHERE s.token_hash = p_token_hash
$$""",
    """
CREATE FUNCTION {s}.wc_own_pin_hash() RETURNS text
LANGUAGE sql STABLE {definer} AS $$
  SELECT c.pin_hash FROM {s}.clinicians c
   WHERE c.id = {s}.wc_clinician_id() AND c.organisation_id = {s}.wc_org_id()
$$""",
    """
CREATE FUNCTION {s}.wc_audit_preauth(p_action text, p_outcome text, p_request_id text,
                                     p_client_hash text, p_detail jsonb) RETURNS uuid
LANGUAGE plpgsql VOLATILE {definer} AS $$
DECLARE
  v_id uuid := gen_random_uuid();
BEGIN
  IF p_action IS NULL OR left(p_action, 5) <> 'auth.' THEN
    RAISE EXCEPTION 'pre-authentication audit actions start with auth.' USING ERRCODE = '22023';
  END IF;
  IF p_detail IS NOT NULL AND (jsonb_typeof(p_detail) <> 'object'
                               OR octet_length(p_detail::text) > 4096) THEN
    RAISE EXCEPTION 'audit detail must be a small object' USING ERRCODE = '22023';
  END IF;
  INSERT INTO {s}.audit_events (id, at, organisation_id, actor_id, action, outcome,
                                request_id, client_hash, detail)
  VALUES (v_id, clock_timestamp(), NULL, NULL, left(p_action, 64), left(p_outcome, 32),
          left(p_request_id, 128), left(p_client_hash, 128), p_detail);
  RETURN v_id;
END
$$""",
)

_DEFINER_SIGNATURES = (
    "wc_owns_case(uuid)",
    "wc_login_lookup(text)",
    "wc_session_lookup(text)",
    "wc_own_pin_hash()",
    "wc_audit_preauth(text, text, text, text, jsonb)",
)
_HELPER_SIGNATURES = ("wc_is_org_admin()", "wc_role()", "wc_clinician_id()", "wc_org_id()")

# Policy expressions; {s} is the schema. ORG/ME/ADMIN keep the policies readable.
ORG = "{s}.wc_org_id()"
ME = "{s}.wc_clinician_id()"
ADMIN = "{s}.wc_is_org_admin()"
CASE_VISIBLE = (
    f"organisation_id = {ORG} AND (owner_id = {ME} OR EXISTS ("  # noqa: S608
    f"SELECT 1 FROM {{s}}.case_delegations d WHERE d.case_id = cases.id "
    f"AND d.clinician_id = {ME} AND d.organisation_id = {ORG}))"
)


def _child_of_visible_case(table: str) -> str:
    # The subquery on cases is itself filtered by the cases policies for the current user.
    return (
        f"organisation_id = {ORG} AND EXISTS ("  # noqa: S608
        f"SELECT 1 FROM {{s}}.cases c WHERE c.id = {table}.case_id)"
    )


# (table, policy name, command, USING, WITH CHECK)
POLICIES: tuple[tuple[str, str, str, str | None, str | None], ...] = (
    ("organisations", "org_select", "SELECT", f"id = {ORG}", None),
    ("organisations", "org_update", "UPDATE", f"id = {ORG} AND {ADMIN}", f"id = {ORG}"),
    ("clinicians", "clin_select", "SELECT", f"organisation_id = {ORG}", None),
    ("clinicians", "clin_insert", "INSERT", None, f"organisation_id = {ORG} AND {ADMIN}"),
    (
        "clinicians",
        "clin_update",
        "UPDATE",
        f"organisation_id = {ORG} AND (id = {ME} OR {ADMIN})",
        f"organisation_id = {ORG} AND ({ADMIN} OR (id = {ME} AND role = {{s}}.wc_role()))",
    ),
    ("cases", "case_select", "SELECT", CASE_VISIBLE, None),
    ("cases", "case_insert", "INSERT", None, f"organisation_id = {ORG} AND owner_id = {ME}"),
    ("cases", "case_update", "UPDATE", CASE_VISIBLE, CASE_VISIBLE),
    (
        "case_delegations",
        "deleg_select",
        "SELECT",
        f"organisation_id = {ORG} AND (clinician_id = {ME} OR {ADMIN}"
        " OR {s}.wc_owns_case(case_id))",
        None,
    ),
    (
        "case_delegations",
        "deleg_insert",
        "INSERT",
        None,
        f"organisation_id = {ORG} AND granted_by = {ME} AND ({ADMIN}"
        " OR {s}.wc_owns_case(case_id))",
    ),
    (
        "case_delegations",
        "deleg_delete",
        "DELETE",
        f"organisation_id = {ORG} AND ({ADMIN} OR {{s}}.wc_owns_case(case_id))",
        None,
    ),
    ("artifacts", "art_select", "SELECT", _child_of_visible_case("artifacts"), None),
    ("artifacts", "art_insert", "INSERT", None, _child_of_visible_case("artifacts")),
    (
        "artifacts",
        "art_update",
        "UPDATE",
        _child_of_visible_case("artifacts"),
        _child_of_visible_case("artifacts"),
    ),
    ("artifacts", "art_delete", "DELETE", _child_of_visible_case("artifacts"), None),
    ("provenance", "prov_select", "SELECT", _child_of_visible_case("provenance"), None),
    ("provenance", "prov_insert", "INSERT", None, _child_of_visible_case("provenance")),
    (
        "audit_events",
        "audit_select",
        "SELECT",
        f"organisation_id = {ORG} AND (actor_id = {ME} OR {ADMIN} OR (case_id IS NOT NULL"  # noqa: S608
        " AND EXISTS (SELECT 1 FROM {s}.cases c WHERE c.id = audit_events.case_id)))",
        None,
    ),
    (
        "audit_events",
        "audit_insert",
        "INSERT",
        None,
        f"organisation_id = {ORG} AND actor_id = {ME}",
    ),
    (
        "pin_attempts",
        "pin_att_select",
        "SELECT",
        f"organisation_id = {ORG} AND (clinician_id = {ME} OR {ADMIN})",
        None,
    ),
    (
        "pin_attempts",
        "pin_att_insert",
        "INSERT",
        None,
        f"organisation_id = {ORG} AND clinician_id = {ME}",
    ),
    (
        "pin_lockouts",
        "pin_lock_select",
        "SELECT",
        f"organisation_id = {ORG} AND (clinician_id = {ME} OR {ADMIN})",
        None,
    ),
    (
        "pin_lockouts",
        "pin_lock_insert",
        "INSERT",
        None,
        f"organisation_id = {ORG} AND clinician_id = {ME}",
    ),
    (
        "pin_lockouts",
        "pin_lock_update",
        "UPDATE",
        f"organisation_id = {ORG} AND clinician_id = {ME}",
        f"organisation_id = {ORG} AND clinician_id = {ME}",
    ),
    (
        "pin_lockouts",
        "pin_lock_delete",
        "DELETE",
        f"organisation_id = {ORG} AND (clinician_id = {ME} OR {ADMIN})",
        None,
    ),
    (
        "login_sessions",
        "sess_select",
        "SELECT",
        f"organisation_id = {ORG} AND (clinician_id = {ME} OR {ADMIN})",
        None,
    ),
    (
        "login_sessions",
        "sess_insert",
        "INSERT",
        None,
        f"organisation_id = {ORG} AND clinician_id = {ME}",
    ),
    (
        "login_sessions",
        "sess_update",
        "UPDATE",
        f"organisation_id = {ORG} AND (clinician_id = {ME} OR {ADMIN})",
        f"organisation_id = {ORG}",
    ),
    (
        "idempotency_records",
        "idem_select",
        "SELECT",
        f"organisation_id = {ORG} AND clinician_id = {ME}",
        None,
    ),
    (
        "idempotency_records",
        "idem_insert",
        "INSERT",
        None,
        f"organisation_id = {ORG} AND clinician_id = {ME}",
    ),
    (
        "idempotency_records",
        "idem_delete",
        "DELETE",
        f"organisation_id = {ORG} AND clinician_id = {ME}",
        None,
    ),
)

_CASE_UPDATABLE = (
    "state, status, version, consent_data_storage, visit_number, previous_case_id, payload,"
    " encrypted_fields, wrapped_dek, key_version, mrn_hash, provenance_head,"
    " provenance_count, updated_at"
)
_CLINICIAN_READABLE = (
    "id, organisation_id, email, display_name, role, pin_set_at, active, created_at"
)
_CLINICIAN_UPDATABLE = "display_name, role, password_hash, pin_hash, pin_set_at, active"

# Privileges of the application role, per table. Nothing else is granted.
GRANTS: tuple[tuple[str, str], ...] = (
    ("organisations", "SELECT, UPDATE (name)"),
    (
        "clinicians",
        f"SELECT ({_CLINICIAN_READABLE}), INSERT, UPDATE ({_CLINICIAN_UPDATABLE})",
    ),
    ("cases", f"SELECT, INSERT, UPDATE ({_CASE_UPDATABLE})"),
    ("case_delegations", "SELECT, INSERT, DELETE"),
    ("artifacts", "SELECT, INSERT, UPDATE (quality), DELETE"),
    ("provenance", "SELECT, INSERT"),
    ("audit_events", "SELECT, INSERT"),
    ("pin_attempts", "SELECT, INSERT"),
    ("pin_lockouts", "SELECT, INSERT, UPDATE (locked_until), DELETE"),
    ("login_sessions", "SELECT, INSERT, UPDATE (last_seen_at, revoked_at)"),
    ("idempotency_records", "SELECT, INSERT, DELETE"),
    ("rate_limit_buckets", "SELECT, INSERT, UPDATE (count), DELETE"),
    ("alembic_version", "SELECT"),
)


def _quote(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"unsafe SQL identifier {name!r}")
    return f'"{name}"'


def _pg_schema() -> str:
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    return _quote(str(schema))


def _app_role() -> str | None:
    """The application role, if it exists (grants are skipped otherwise)."""
    role = str(context.config.attributes.get("woundcare_app_role") or "woundcare_app")
    exists = (
        op.get_bind()
        .execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
        .scalar()
    )
    return _quote(role) if exists else None


def _pg_upgrade() -> None:
    s = _pg_schema()
    op.execute(_HELPERS.format(s=s))
    for ddl in _DEFINERS:
        op.execute(ddl.format(s=s, definer=_DEFINER.format(s=s)))
    for sig in _DEFINER_SIGNATURES:
        op.execute(f"REVOKE ALL ON FUNCTION {s}.{sig} FROM PUBLIC")
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {s}.{table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY owner_all ON {s}.{table} AS PERMISSIVE FOR ALL TO CURRENT_USER"
            " USING (true) WITH CHECK (true)"
        )
    for table, name, command, using, check in POLICIES:
        ddl = f"CREATE POLICY {name} ON {s}.{table} AS PERMISSIVE FOR {command} TO PUBLIC"
        if using is not None:
            ddl += f" USING ({using.format(s=s)})"
        if check is not None:
            ddl += f" WITH CHECK ({check.format(s=s)})"
        op.execute(ddl)
    for table in (*TENANT_TABLES, "rate_limit_buckets"):
        op.execute(f"REVOKE ALL ON {s}.{table} FROM PUBLIC")
    app = _app_role()
    if app is None:
        return
    op.execute(f"GRANT USAGE ON SCHEMA {s} TO {app}")
    for table, privileges in GRANTS:
        op.execute(f"GRANT {privileges} ON {s}.{table} TO {app}")
    for sig in _DEFINER_SIGNATURES:
        op.execute(f"GRANT EXECUTE ON FUNCTION {s}.{sig} TO {app}")


def _pg_downgrade() -> None:
    s = _pg_schema()
    app = _app_role()
    if app is not None:
        op.execute(f"REVOKE ALL ON {s}.alembic_version FROM {app}")
    # Policies first: they reference other tables (cases -> case_delegations, ...).
    for table, name, _command, _using, _check in POLICIES:
        op.execute(f"DROP POLICY IF EXISTS {name} ON {s}.{table}")
    for table in TENANT_TABLES:
        op.execute(f"DROP POLICY IF EXISTS owner_all ON {s}.{table}")
    _drop_tables()
    for sig in (*_DEFINER_SIGNATURES, *_HELPER_SIGNATURES):
        op.execute(f"DROP FUNCTION IF EXISTS {s}.{sig}")


def upgrade() -> None:
    _create_tables()
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _pg_downgrade()
    else:
        _drop_tables()


def _create_tables() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("agent", sa.String(length=64), nullable=True),
        sa.Column("state", sa.String(length=64), nullable=True),
        sa.Column("consent_flag", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("client_hash", sa.String(length=128), nullable=True),
        sa.Column(
            "detail",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index("ix_audit_events_actor_id_at", "audit_events", ["actor_id", "at"])
    op.create_index("ix_audit_events_case_id_at", "audit_events", ["case_id", "at"])
    op.create_table(
        "organisations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
    )
    op.create_table(
        "rate_limit_buckets",
        sa.Column("bucket_key", sa.String(length=200), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket_key", "window_start", name=op.f("pk_rate_limit_buckets")),
    )
    op.create_table(
        "clinicians",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("pin_hash", sa.Text(), nullable=True),
        sa.Column("pin_set_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('clinician', 'org_admin')", name=op.f("ck_clinicians_role_known")
        ),
        sa.CheckConstraint("email = lower(email)", name=op.f("ck_clinicians_email_lower")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_clinicians_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinicians")),
        sa.UniqueConstraint("email", name=op.f("uq_clinicians_email")),
        sa.UniqueConstraint("id", "organisation_id", name=op.f("uq_clinicians_id_organisation_id")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("consent_data_storage", sa.Text(), nullable=False),
        sa.Column("visit_number", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("previous_case_id", sa.Uuid(), nullable=True),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "encrypted_fields",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("wrapped_dek", sa.Text(), nullable=False),
        sa.Column("key_version", sa.Text(), nullable=False),
        sa.Column("mrn_hash", sa.Text(), nullable=True),
        sa.Column("provenance_head", sa.Text(), nullable=True),
        sa.Column("provenance_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 0", name=op.f("ck_cases_version_non_negative")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_cases_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id", "organisation_id"],
            ["clinicians.id", "clinicians.organisation_id"],
            name=op.f("fk_cases_owner_id_organisation_id_clinicians"),
        ),
        sa.ForeignKeyConstraint(
            ["previous_case_id", "organisation_id"],
            ["cases.id", "cases.organisation_id"],
            name="fk_cases_previous_case_id_cases",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("id", "organisation_id", name=op.f("uq_cases_id_organisation_id")),
    )
    op.create_index("ix_cases_org_mrn_hash", "cases", ["organisation_id", "mrn_hash"])
    op.create_index(
        "ix_cases_owner_state_updated", "cases", ["owner_id", "state", sa.text("updated_at DESC")]
    )
    op.create_index(
        "ix_cases_org_updated", "cases", ["organisation_id", sa.text("updated_at DESC")]
    )
    op.create_table(
        "idempotency_records",
        sa.Column("clinician_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.String(length=128), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column(
            "response_body",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id", "organisation_id"],
            ["clinicians.id", "clinicians.organisation_id"],
            name=op.f("fk_idempotency_records_clinician_id_organisation_id_clinicians"),
        ),
        sa.PrimaryKeyConstraint("clinician_id", "key", name=op.f("pk_idempotency_records")),
    )
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=128), nullable=False),
        sa.Column("clinician_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("absolute_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("csrf_token_hash", sa.String(length=128), nullable=False),
        sa.Column("client_hash", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinician_id", "organisation_id"],
            ["clinicians.id", "clinicians.organisation_id"],
            name=op.f("fk_login_sessions_clinician_id_organisation_id_clinicians"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_sessions_token_hash")),
    )
    op.create_table(
        "pin_attempts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("clinician_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("client_hash", sa.String(length=128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id", "organisation_id"],
            ["clinicians.id", "clinicians.organisation_id"],
            name=op.f("fk_pin_attempts_clinician_id_organisation_id_clinicians"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pin_attempts")),
    )
    op.create_index(
        "ix_pin_attempts_clinician_client_at", "pin_attempts", ["clinician_id", "client_hash", "at"]
    )
    op.create_table(
        "pin_lockouts",
        sa.Column("clinician_id", sa.Uuid(), nullable=False),
        sa.Column("client_hash", sa.String(length=128), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id", "organisation_id"],
            ["clinicians.id", "clinicians.organisation_id"],
            name=op.f("fk_pin_lockouts_clinician_id_organisation_id_clinicians"),
        ),
        sa.PrimaryKeyConstraint("clinician_id", "client_hash", name=op.f("pk_pin_lockouts")),
    )
    op.create_table(
        "artifacts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=128), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("blob_key", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "quality",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["case_id", "organisation_id"],
            ["cases.id", "cases.organisation_id"],
            name=op.f("fk_artifacts_case_id_organisation_id_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_artifacts")),
    )
    op.create_index("ix_artifacts_case_id", "artifacts", ["case_id"])
    op.create_table(
        "case_delegations",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("clinician_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("granted_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id", "organisation_id"],
            ["cases.id", "cases.organisation_id"],
            name=op.f("fk_case_delegations_case_id_organisation_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["clinician_id", "organisation_id"],
            ["clinicians.id", "clinicians.organisation_id"],
            name=op.f("fk_case_delegations_clinician_id_organisation_id_clinicians"),
        ),
        sa.PrimaryKeyConstraint("case_id", "clinician_id", name=op.f("pk_case_delegations")),
    )
    op.create_index("ix_case_delegations_clinician_id", "case_delegations", ["clinician_id"])
    op.create_table(
        "provenance",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_kind", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.Text(), nullable=False),
        sa.Column("agent", sa.String(length=64), nullable=True),
        sa.Column("field_path", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=True),
        sa.Column("source_artifact_id", sa.Uuid(), nullable=True),
        sa.Column("prev_hash", sa.Text(), nullable=False),
        sa.Column("hash", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id", "organisation_id"],
            ["cases.id", "cases.organisation_id"],
            name=op.f("fk_provenance_case_id_organisation_id_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provenance")),
        sa.UniqueConstraint("case_id", "seq", name=op.f("uq_provenance_case_id_seq")),
    )


def _drop_tables() -> None:
    op.drop_table("provenance")
    op.drop_index("ix_case_delegations_clinician_id", table_name="case_delegations")
    op.drop_table("case_delegations")
    op.drop_index("ix_artifacts_case_id", table_name="artifacts")
    op.drop_table("artifacts")
    op.drop_table("pin_lockouts")
    op.drop_index("ix_pin_attempts_clinician_client_at", table_name="pin_attempts")
    op.drop_table("pin_attempts")
    op.drop_table("login_sessions")
    op.drop_table("idempotency_records")
    op.drop_index("ix_cases_org_mrn_hash", table_name="cases")
    op.drop_index("ix_cases_owner_state_updated", table_name="cases")
    op.drop_index("ix_cases_org_updated", table_name="cases")
    op.drop_table("cases")
    op.drop_table("clinicians")
    op.drop_table("rate_limit_buckets")
    op.drop_table("organisations")
    op.drop_index("ix_audit_events_case_id_at", table_name="audit_events")
    op.drop_index("ix_audit_events_actor_id_at", table_name="audit_events")
    op.drop_table("audit_events")
