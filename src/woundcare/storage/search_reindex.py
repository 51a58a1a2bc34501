"""Rebuild the patient search index (``woundcare db reindex-search``): for cases saved before
the index existed, or after the search key changed. Runs as the owner role, one transaction
per batch; safe to stop and run again."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from woundcare.crypto.devkeys import KeyMaterial
from woundcare.storage.case_repository import SqlCaseStore
from woundcare.storage.identity import Identity
from woundcare.storage.schema import cases


def reindex_search(engine: Engine, keys: KeyMaterial, *,
                   batch_size: int = 200) -> tuple[int, list[UUID]]:
    """Index every case's patient again; returns the number of cases indexed and the cases
    that could not be read (reported, never fatal: one broken case does not stop the rest)."""
    done = 0
    failed: list[UUID] = []
    last: UUID | None = None
    while True:
        with engine.begin() as conn:
            query = sa.select(cases.c.id, cases.c.organisation_id, cases.c.owner_id)
            if last is not None:
                query = query.where(cases.c.id > last)
            rows = conn.execute(query.order_by(cases.c.id).limit(batch_size)).all()
            if not rows:
                return done, failed
            for case_id, organisation_id, owner_id in rows:
                last = case_id
                store = SqlCaseStore(conn, Identity(organisation_id, owner_id, "clinician"), keys)
                try:
                    record = store.load(case_id)
                except Exception:  # a case the keys cannot open: reported by id
                    failed.append(case_id)
                    continue
                store.reindex(record)
                done += 1
