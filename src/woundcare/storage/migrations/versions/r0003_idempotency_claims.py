"""Idempotency records keep no response body (finding: patient data in the clear at rest).

A record now holds only what a replay needs to find the case again: the status, the case id
and the version the first request produced; a replay rebuilds the answer from the case as it
is now, after checking the caller may still see it. Existing rows are deleted (they held
response snapshots in clear). On PostgreSQL the application role may now complete its own
claim (UPDATE of the result columns), and a SECURITY DEFINER function lets the scheduled
housekeeping prune expired records of every organisation without seeing them.

Frozen: this file must not import the live schema module.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_DEFINER = "SECURITY DEFINER SET search_path = pg_catalog, {s}, pg_temp"
_PRUNE = """
CREATE FUNCTION {s}.wc_prune_idempotency(p_before timestamptz) RETURNS integer
LANGUAGE plpgsql VOLATILE {definer} AS $$
DECLARE
  v_count integer;
BEGIN
  DELETE FROM {s}.idempotency_records WHERE created_at < p_before;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END
$$"""
_UPDATE_POLICY = (
    "CREATE POLICY idem_update ON {s}.idempotency_records AS PERMISSIVE FOR UPDATE TO PUBLIC"
    " USING (organisation_id = {s}.wc_org_id() AND clinician_id = {s}.wc_clinician_id())"
    " WITH CHECK (organisation_id = {s}.wc_org_id() AND clinician_id = {s}.wc_clinician_id())"
)


def _quote(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"unsafe SQL identifier {name!r}")
    return f'"{name}"'


def _pg_schema() -> str:
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    return _quote(str(schema))


def _app_role() -> str | None:
    role = str(context.config.attributes.get("woundcare_app_role") or "woundcare_app")
    exists = (
        op.get_bind()
        .execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
        .scalar()
    )
    return _quote(role) if exists else None


def upgrade() -> None:
    op.execute("DELETE FROM idempotency_records")
    with op.batch_alter_table("idempotency_records") as batch:
        batch.drop_column("response_body")
        batch.add_column(sa.Column("case_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=True))
        batch.alter_column("status_code", existing_type=sa.Integer(), nullable=True)
    op.create_index("ix_idempotency_records_created_at", "idempotency_records",
                    ["created_at"])
    if op.get_bind().dialect.name != "postgresql":
        return
    s = _pg_schema()
    op.execute(_PRUNE.format(s=s, definer=_DEFINER.format(s=s)))
    op.execute(f"REVOKE ALL ON FUNCTION {s}.wc_prune_idempotency(timestamptz) FROM PUBLIC")
    op.execute(_UPDATE_POLICY.format(s=s))
    app = _app_role()
    if app is not None:
        op.execute(f"GRANT UPDATE (status_code, case_id, version) ON {s}.idempotency_records"
                   f" TO {app}")
        op.execute(f"GRANT EXECUTE ON FUNCTION {s}.wc_prune_idempotency(timestamptz) TO {app}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        s = _pg_schema()
        app = _app_role()
        if app is not None:
            op.execute(f"REVOKE UPDATE ON {s}.idempotency_records FROM {app}")
        op.execute(f"DROP POLICY IF EXISTS idem_update ON {s}.idempotency_records")
        op.execute(f"DROP FUNCTION IF EXISTS {s}.wc_prune_idempotency(timestamptz)")
    op.execute("DELETE FROM idempotency_records")
    op.drop_index("ix_idempotency_records_created_at", table_name="idempotency_records")
    with op.batch_alter_table("idempotency_records") as batch:
        batch.alter_column("status_code", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("version")
        batch.drop_column("case_id")
        batch.add_column(sa.Column(
            "response_body",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False))
