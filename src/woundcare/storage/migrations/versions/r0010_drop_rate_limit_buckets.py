"""Drop ``rate_limit_buckets``: request and log-in limits moved to Redis (or the process, on
the embedded default) in issue 12, and nothing has written the table since.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Frozen: does not import the live schema module. The downgrade puts the empty table back as
migration 0001 made it (no row-level security: it held no tenant data; the application
role's grants as they were).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _quote(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"unsafe SQL identifier {name!r}")
    return f'"{name}"'


def upgrade() -> None:
    op.drop_table("rate_limit_buckets")


def downgrade() -> None:
    op.create_table(
        "rate_limit_buckets",
        sa.Column("bucket_key", sa.String(length=200), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket_key", "window_start", name=op.f("pk_rate_limit_buckets")),
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = _quote(str(bind.execute(sa.text("SELECT current_schema()")).scalar_one()))
    op.execute(f"REVOKE ALL ON {schema}.rate_limit_buckets FROM PUBLIC")
    role = str(context.config.attributes.get("woundcare_app_role") or "woundcare_app")
    if bind.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
        op.execute(f"GRANT SELECT, INSERT, UPDATE (count), DELETE ON "
                   f"{schema}.rate_limit_buckets TO {_quote(role)}")
