"""Provenance: who changed which field, when, under which state, from which artifact.

Entries of one case form a hash chain: each entry's hash covers its content and the previous
entry's hash, so an edited, inserted, reordered or deleted entry is detected. No value is ever
kept in provenance (values may be PHI); only paths.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict

from woundcare.domain.enums import ActorKind, WorkflowState

GENESIS_HASH = "0" * 64


class ProvenanceDraft(BaseModel):
    """An entry before the store chains it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    at: AwareDatetime
    actor_kind: ActorKind
    actor_id: str
    agent: str | None = None
    field_path: str
    state: WorkflowState
    event: str | None = None
    source_artifact_id: UUID | None = None


class ProvenanceEntry(ProvenanceDraft):
    entry_id: UUID
    case_id: UUID
    seq: int
    prev_hash: str
    hash: str


def _content(case_id: UUID, seq: int, draft: ProvenanceDraft) -> dict[str, Any]:
    body = draft.model_dump(mode="json")
    body.update(case_id=str(case_id), seq=seq)
    return body


def entry_hash(case_id: UUID, seq: int, draft: ProvenanceDraft, prev_hash: str) -> str:
    canonical = json.dumps(
        {"prev": prev_hash, "entry": _content(case_id, seq, draft)},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def chain(
    case_id: UUID,
    drafts: Iterable[ProvenanceDraft],
    *,
    prev_hash: str | None,
    start_seq: int,
    new_id: Callable[[], UUID] = uuid4,
) -> list[ProvenanceEntry]:
    """Chain ``drafts`` after the entry whose hash is ``prev_hash`` (None: the first)."""
    out: list[ProvenanceEntry] = []
    previous = prev_hash or GENESIS_HASH
    for offset, draft in enumerate(drafts):
        seq = start_seq + offset
        digest = entry_hash(case_id, seq, draft, previous)
        out.append(
            ProvenanceEntry(
                **draft.model_dump(),
                entry_id=new_id(),
                case_id=case_id,
                seq=seq,
                prev_hash=previous,
                hash=digest,
            )
        )
        previous = digest
    return out


class ChainProblem(BaseModel):
    model_config = ConfigDict(frozen=True)

    seq: int
    kind: str  # "edited" | "broken_link" | "sequence_gap" | "truncated" | "wrong_case"
    message: str


class ChainReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    ok: bool
    entries: int
    head: str | None
    problems: tuple[ChainProblem, ...]


def verify_chain(
    case_id: UUID,
    entries: Sequence[ProvenanceEntry],
    *,
    expected_head: str | None = None,
    expected_count: int | None = None,
) -> ChainReport:
    """Check every link; with the head and count the case row keeps, a cut-off tail shows too."""
    problems: list[ChainProblem] = []
    previous = GENESIS_HASH
    for index, entry in enumerate(sorted(entries, key=lambda e: e.seq)):
        if entry.case_id != case_id:
            problems.append(ChainProblem(seq=entry.seq, kind="wrong_case",
                                         message="Entry belongs to another case."))
        if entry.seq != index:
            problems.append(ChainProblem(seq=entry.seq, kind="sequence_gap",
                                         message=f"Expected entry {index}, found {entry.seq}."))
        if entry.prev_hash != previous:
            problems.append(ChainProblem(seq=entry.seq, kind="broken_link",
                                         message="Entry does not follow the one before it."))
        draft = ProvenanceDraft(**entry.model_dump(include=set(ProvenanceDraft.model_fields)))
        if entry_hash(entry.case_id, entry.seq, draft, entry.prev_hash) != entry.hash:
            problems.append(ChainProblem(seq=entry.seq, kind="edited",
                                         message="Entry content does not match its hash."))
        previous = entry.hash
    head = max(entries, key=lambda e: e.seq).hash if entries else None
    if expected_count is not None and expected_count != len(entries):
        problems.append(ChainProblem(seq=len(entries), kind="truncated",
                                     message=f"Case records {expected_count} entries; "
                                     f"{len(entries)} found."))
    elif expected_head is not None and expected_head != head:
        problems.append(ChainProblem(seq=len(entries), kind="truncated",
                                     message="Last entry is not the one the case records."))
    return ChainReport(ok=not problems, entries=len(entries), head=head,
                       problems=tuple(problems))


# Values that change as a whole: one provenance entry, not one per element.
ATOMIC_PATHS = frozenset({"wound.measurement.outline"})


def changed_paths(before: Any, after: Any, prefix: str = "") -> list[str]:
    """Dotted leaf paths whose JSON value differs between two record dumps."""
    if prefix in ATOMIC_PATHS:
        return [] if before == after else [prefix]
    if isinstance(before, dict) and isinstance(after, dict):
        paths: list[str] = []
        for key in sorted(set(before) | set(after)):
            sub = f"{prefix}.{key}" if prefix else str(key)
            paths.extend(changed_paths(before.get(key), after.get(key), sub))
        return paths
    if isinstance(before, list) and isinstance(after, list):
        paths = []
        for index in range(max(len(before), len(after))):
            left = before[index] if index < len(before) else None
            right = after[index] if index < len(after) else None
            paths.extend(changed_paths(left, right, f"{prefix}.{index}"))
        return paths
    if before == after:
        return []
    if isinstance(after, dict | list) and before is None:
        return changed_paths({} if isinstance(after, dict) else [], after, prefix) or [prefix]
    if isinstance(before, dict | list) and after is None:
        return changed_paths(before, {} if isinstance(before, dict) else [], prefix) or [prefix]
    return [prefix]
