"""Indexes for the operator audit query (organisation, newest first) and for revoking all of
a clinician's sessions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_events_org_at", "audit_events", ["organisation_id", sa.text("at DESC")]
    )
    op.create_index("ix_login_sessions_clinician_id", "login_sessions", ["clinician_id"])


def downgrade() -> None:
    op.drop_index("ix_login_sessions_clinician_id", table_name="login_sessions")
    op.drop_index("ix_audit_events_org_at", table_name="audit_events")
