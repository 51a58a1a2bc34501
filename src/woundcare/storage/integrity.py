"""Operator check of a case's provenance hash chain (reads as the owner/operator role)."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from woundcare.domain.errors import CaseNotFound
from woundcare.domain.provenance import ChainReport, verify_chain
from woundcare.storage.case_repository import entry_from_row
from woundcare.storage.schema import cases, provenance


def verify_case_provenance(engine: Engine, case_id: UUID) -> ChainReport:
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(cases.c.provenance_head, cases.c.provenance_count).where(
                cases.c.id == case_id
            )
        ).first()
        if row is None:
            raise CaseNotFound(case_id)
        entries = [
            entry_from_row(r)
            for r in conn.execute(
                sa.select(provenance)
                .where(provenance.c.case_id == case_id)
                .order_by(provenance.c.seq)
            ).mappings()
        ]
    return verify_chain(
        case_id, entries, expected_head=row.provenance_head, expected_count=row.provenance_count
    )
