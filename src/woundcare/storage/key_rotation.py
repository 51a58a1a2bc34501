"""Key rotation: re-wrap every case's data key under the active key-encryption key.

Only the wrapped data key changes (the field ciphertexts stay as they are), so a rotation is
cheap and never touches PHI. Each case is updated by a compare-and-set on its old wrapped key,
batch by batch, each batch in its own transaction: killing the process at any point leaves
every case wrapped under either its old or its new version, both readable, and running the
rotation again finishes the job. Cases whose key version is missing from the key ring are
reported, never changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from woundcare.crypto.envelope import WrappedKey, rewrap
from woundcare.crypto.keyring import KeyRing
from woundcare.storage.schema import cases

Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class RotationReport:
    active_version: str
    rotated: int = 0
    failed: list[tuple[UUID, str]] = field(default_factory=list)
    remaining: int = 0


def key_drift(engine: Engine) -> dict[str, int]:
    """How many cases sit on each key version."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(cases.c.key_version, sa.func.count())
            .where(cases.c.key_version != "shredded")  # tombstones have no key at all
            .group_by(cases.c.key_version)
        ).all()
    return {str(version): int(count) for version, count in rows}


def rotate_keys(
    engine: Engine,
    keyring: KeyRing,
    *,
    batch_size: int = 200,
    progress: Progress | None = None,
    pause_seconds: float = 0.0,
) -> RotationReport:
    active = keyring.active_version
    report = RotationReport(active_version=active)
    stale = sa.and_(cases.c.key_version != active,
                    cases.c.key_version != "shredded")  # no key left to rewrap
    with engine.connect() as conn:
        total = int(conn.execute(sa.select(sa.func.count()).where(stale)).scalar_one())
    last: UUID | None = None
    done = 0
    while True:
        with engine.begin() as conn:
            query = sa.select(cases.c.id, cases.c.wrapped_dek, cases.c.key_version).where(stale)
            if last is not None:
                query = query.where(cases.c.id > last)
            rows = conn.execute(query.order_by(cases.c.id).limit(batch_size)).all()
            if not rows:
                break
            for case_id, blob, version in rows:
                last = case_id
                done += 1
                try:
                    new = rewrap(keyring, case_id, WrappedKey(version=version, blob=blob))
                except Exception as exc:  # report, never break a case
                    report.failed.append((case_id, type(exc).__name__))
                    continue
                result = conn.execute(
                    cases.update()
                    .where(
                        cases.c.id == case_id,
                        cases.c.wrapped_dek == blob,
                        cases.c.key_version == version,
                    )
                    .values(wrapped_dek=new.blob, key_version=new.version)
                )
                report.rotated += result.rowcount
        if progress is not None:
            progress(done, total)
        if pause_seconds:
            time.sleep(pause_seconds)
    with engine.connect() as conn:
        report.remaining = int(conn.execute(sa.select(sa.func.count()).where(stale)).scalar_one())
    return report
