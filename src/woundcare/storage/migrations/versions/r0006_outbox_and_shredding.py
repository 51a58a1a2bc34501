"""The delivery outbox (one row per case and destination, written in the export's
transaction) and consent-withdrawal shred requests.

Revision ID: 0006
Revises: 0008
Create Date: 2026-12-01

Frozen: describes the schema as of this revision. On PostgreSQL both tables get ENABLE +
FORCE row-level security like every tenant table: the application role sees and writes only
rows of its organisation's visible cases; the delivery worker runs as the owner role
(``owner_all``), like the other operator tools.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORG = "{s}.wc_org_id()"
ADMIN = "{s}.wc_is_org_admin()"


def _child(table: str) -> str:
    return (f"organisation_id = {ORG} AND EXISTS ("  # noqa: S608
            f"SELECT 1 FROM {{s}}.cases c WHERE c.id = {table}.case_id)")


POLICIES = (
    ("outbox", "outbox_select", "SELECT", f"organisation_id = {ORG} AND ({ADMIN} OR EXISTS ("  # noqa: S608
     "SELECT 1 FROM {s}.cases c WHERE c.id = outbox.case_id))", None),
    ("outbox", "outbox_insert", "INSERT", None, _child("outbox")),
    ("outbox", "outbox_update", "UPDATE", f"organisation_id = {ORG} AND {ADMIN}",
     f"organisation_id = {ORG}"),
    ("shred_requests", "shred_select", "SELECT", _child("shred_requests"), None),
    ("shred_requests", "shred_insert", "INSERT", None, _child("shred_requests")),
    ("shred_requests", "shred_delete", "DELETE", _child("shred_requests"), None),
)
GRANTS = (
    ("outbox", "SELECT, INSERT, UPDATE (status, attempts, next_attempt_at, lease_until, "
     "last_error, updated_at)"),
    ("shred_requests", "SELECT, INSERT, DELETE"),
)


def _create() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(64), nullable=True),
        sa.Column("result_blob_key", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("case_id", "kind", name="uq_outbox_case_id_kind"),
        sa.ForeignKeyConstraint(["case_id", "organisation_id"],
                                ["cases.id", "cases.organisation_id"],
                                name="fk_outbox_case_id_cases"),
        sa.CheckConstraint("status IN ('pending', 'in_progress', 'delivered', 'dead')",
                           name="ck_outbox_status_known"),
    )
    op.create_index("ix_outbox_status_next", "outbox", ["status", "next_attempt_at"])
    op.create_table(
        "shred_requests",
        sa.Column("case_id", sa.Uuid(), primary_key=True),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason_code", sa.String(32), nullable=False),
        sa.Column("shredded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id", "organisation_id"],
                                ["cases.id", "cases.organisation_id"],
                                name="fk_shred_requests_case_id_cases"),
    )


def _schema() -> str:
    return '"' + str(op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()) + '"'


def _app_role() -> str | None:
    role = str(context.config.attributes.get("woundcare_app_role") or "woundcare_app")
    exists = op.get_bind().execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                                   {"r": role}).scalar()
    return f'"{role}"' if exists else None


def upgrade() -> None:
    _create()
    if op.get_bind().dialect.name != "postgresql":
        return
    s = _schema()
    for table in ("outbox", "shred_requests"):
        op.execute(f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {s}.{table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY owner_all ON {s}.{table} AS PERMISSIVE FOR ALL "
                   "TO CURRENT_USER USING (true) WITH CHECK (true)")
        op.execute(f"REVOKE ALL ON {s}.{table} FROM PUBLIC")
    for table, name, command, using, check in POLICIES:
        ddl = f"CREATE POLICY {name} ON {s}.{table} AS PERMISSIVE FOR {command} TO PUBLIC"
        if using is not None:
            ddl += f" USING ({using.format(s=s)})"
        if check is not None:
            ddl += f" WITH CHECK ({check.format(s=s)})"
        op.execute(ddl)
    app = _app_role()
    if app is not None:
        for table, privileges in GRANTS:
            op.execute(f"GRANT {privileges} ON {s}.{table} TO {app}")


def downgrade() -> None:
    op.drop_table("shred_requests")
    op.drop_index("ix_outbox_status_next", table_name="outbox")
    op.drop_table("outbox")
