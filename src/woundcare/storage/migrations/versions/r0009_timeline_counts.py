"""``cases.timeline_counts``: how many provenance entries each workflow state holds (the
snapshot's timeline shows these counts), kept on the case row by every save instead of counted
from ``provenance`` on every read and write. Existing cases are counted once here. State names
and numbers only: no PHI.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-01

Frozen: does not import the live schema module. The application role may UPDATE the new
column (its UPDATE on ``cases`` is column by column); the owner's ``owner_all`` policy lets
the backfill through row-level security.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# The fields a case starts with (event CREATE) are not changes anyone made: not counted.
_COUNTED = "(p.event IS NULL OR p.event <> 'CREATE')"


def _pg_schema() -> str:
    schema = str(op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one())
    if not _IDENT.match(schema):
        raise ValueError(f"unsafe SQL identifier {schema!r}")
    return f'"{schema}"'


def _app_role() -> str | None:
    role = str(context.config.attributes.get("woundcare_app_role") or "woundcare_app")
    if not _IDENT.match(role):
        raise ValueError(f"unsafe SQL identifier {role!r}")
    exists = op.get_bind().execute(
        sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    return f'"{role}"' if exists else None


def upgrade() -> None:
    json_type = sa.JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
    op.add_column("cases", sa.Column("timeline_counts", json_type, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        s = _pg_schema()
        op.execute(
            f"UPDATE {s}.cases c SET timeline_counts = COALESCE(("  # noqa: S608 - checked name
            f"SELECT jsonb_object_agg(t.state, t.n) FROM (SELECT p.state, count(*) AS n"
            f" FROM {s}.provenance p WHERE p.case_id = c.id AND {_COUNTED}"
            f" GROUP BY p.state) t), '{{}}'::jsonb)")
        app = _app_role()
        if app is not None:
            op.execute(f"GRANT UPDATE (timeline_counts) ON {s}.cases TO {app}")
    else:
        op.execute(
            "UPDATE cases SET timeline_counts = COALESCE(("
            "SELECT json_group_object(t.state, t.n) FROM (SELECT p.state, count(*) AS n"
            " FROM provenance p WHERE p.case_id = cases.id"
            " AND (p.event IS NULL OR p.event <> 'CREATE')"
            " GROUP BY p.state) t), '{}')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("cases", "timeline_counts")
    else:  # SQLite 3.35+ drops a plain column in place
        op.execute("ALTER TABLE cases DROP COLUMN timeline_counts")
