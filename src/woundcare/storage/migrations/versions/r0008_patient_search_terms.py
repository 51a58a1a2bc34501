"""The patient search index: keyed HMAC digests of name prefixes, date of birth and MRN parts
per case (crypto/blind_index.py), so encrypted names can be searched. Row-level security like
the case's other children: a row is visible only with its case.

Existing cases are indexed by ``woundcare db reindex-search`` (the migration has no keys).

Revision ID: 0008
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "patient_search_terms"
_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_VISIBLE = (
    "organisation_id = {s}.wc_org_id() AND EXISTS ("
    "SELECT 1 FROM {s}.cases c WHERE c.id = patient_search_terms.case_id)"
)
POLICIES = (
    ("search_select", "SELECT", _VISIBLE, None),
    ("search_insert", "INSERT", None, _VISIBLE),
    ("search_delete", "DELETE", _VISIBLE, None),
)


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
    if op.get_bind().dialect.name != "postgresql":
        return
    s = _quote(str(op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()))
    op.execute(f"ALTER TABLE {s}.{TABLE} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {s}.{TABLE} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY owner_all ON {s}.{TABLE} AS PERMISSIVE FOR ALL TO CURRENT_USER"
               " USING (true) WITH CHECK (true)")
    for name, command, using, check in POLICIES:
        ddl = f"CREATE POLICY {name} ON {s}.{TABLE} AS PERMISSIVE FOR {command} TO PUBLIC"
        if using is not None:
            ddl += f" USING ({using.format(s=s)})"
        if check is not None:
            ddl += f" WITH CHECK ({check.format(s=s)})"
        op.execute(ddl)
    op.execute(f"REVOKE ALL ON {s}.{TABLE} FROM PUBLIC")
    role = str(context.config.attributes.get("woundcare_app_role") or "woundcare_app")
    exists = op.get_bind().execute(
        sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    if exists:
        op.execute(f"GRANT SELECT, INSERT, DELETE ON {s}.{TABLE} TO {_quote(role)}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        s = _quote(str(op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()))
        for name, *_ in POLICIES:
            op.execute(f"DROP POLICY IF EXISTS {name} ON {s}.{TABLE}")
        op.execute(f"DROP POLICY IF EXISTS owner_all ON {s}.{TABLE}")
    op.drop_index("ix_patient_search_terms_org_digest", table_name=TABLE)
    op.drop_table(TABLE)
