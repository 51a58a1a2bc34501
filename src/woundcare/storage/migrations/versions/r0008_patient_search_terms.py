"""The patient search index: keyed HMAC digests of name prefixes, date of birth and MRN parts
per case (crypto/blind_index.py), so encrypted names can be searched; and visit plans (the
date a clinician wants to see the patient again). Row-level security like the case's other
children: a row is visible only with its case.

Existing cases are indexed by ``woundcare db reindex-search`` (the migration has no keys).

Revision ID: 0008
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "patient_search_terms"
PLANS = "visit_plans"
_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _visible(table: str) -> str:
    return ("organisation_id = {s}.wc_org_id() AND EXISTS ("  # noqa: S608
            f"SELECT 1 FROM {{s}}.cases c WHERE c.id = {table}.case_id)")


# (table, policy, command, USING, WITH CHECK)
POLICIES = (
    (TABLE, "search_select", "SELECT", _visible(TABLE), None),
    (TABLE, "search_insert", "INSERT", None, _visible(TABLE)),
    (TABLE, "search_delete", "DELETE", _visible(TABLE), None),
    (PLANS, "plan_select", "SELECT", _visible(PLANS), None),
    (PLANS, "plan_insert", "INSERT", None, _visible(PLANS)),
    (PLANS, "plan_update", "UPDATE", _visible(PLANS), _visible(PLANS)),
    (PLANS, "plan_delete", "DELETE", _visible(PLANS), None),
)
GRANTS = ((TABLE, "SELECT, INSERT, DELETE"), (PLANS, "SELECT, INSERT, UPDATE, DELETE"))


def _quote(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"unsafe SQL identifier {name!r}")
    return f'"{name}"'


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "digest", name="pk_patient_search_terms"),
        sa.ForeignKeyConstraint(
            ["case_id", "organisation_id"], ["cases.id", "cases.organisation_id"],
            name="fk_patient_search_terms_case_id_organisation_id_cases", ondelete="CASCADE"),
    )
    op.create_index("ix_patient_search_terms_org_digest", TABLE, ["organisation_id", "digest"])
    op.create_table(
        PLANS,
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("set_by", sa.Uuid(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name="pk_visit_plans"),
        sa.ForeignKeyConstraint(
            ["case_id", "organisation_id"], ["cases.id", "cases.organisation_id"],
            name="fk_visit_plans_case_id_organisation_id_cases", ondelete="CASCADE"),
    )
    op.create_index("ix_visit_plans_org_due", PLANS, ["organisation_id", "due_on"])
    if op.get_bind().dialect.name != "postgresql":
        return
    s = _quote(str(op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()))
    for table in (TABLE, PLANS):
        op.execute(f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {s}.{table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY owner_all ON {s}.{table} AS PERMISSIVE FOR ALL"
                   " TO CURRENT_USER USING (true) WITH CHECK (true)")
        op.execute(f"REVOKE ALL ON {s}.{table} FROM PUBLIC")
    for table, name, command, using, check in POLICIES:
        ddl = f"CREATE POLICY {name} ON {s}.{table} AS PERMISSIVE FOR {command} TO PUBLIC"
        if using is not None:
            ddl += f" USING ({using.format(s=s)})"
        if check is not None:
            ddl += f" WITH CHECK ({check.format(s=s)})"
        op.execute(ddl)
    role = str(context.config.attributes.get("woundcare_app_role") or "woundcare_app")
    exists = op.get_bind().execute(
        sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    if exists:
        for table, privileges in GRANTS:
            op.execute(f"GRANT {privileges} ON {s}.{table} TO {_quote(role)}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        s = _quote(str(op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()))
        for table, name, *_ in POLICIES:
            op.execute(f"DROP POLICY IF EXISTS {name} ON {s}.{table}")
        for table in (TABLE, PLANS):
            op.execute(f"DROP POLICY IF EXISTS owner_all ON {s}.{table}")
    op.drop_index("ix_visit_plans_org_due", table_name=PLANS)
    op.drop_table(PLANS)
    op.drop_index("ix_patient_search_terms_org_digest", table_name=TABLE)
    op.drop_table(TABLE)
