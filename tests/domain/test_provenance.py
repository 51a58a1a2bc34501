"""The provenance hash chain detects edited, inserted, deleted, reordered or truncated entries."""

from __future__ import annotations

import itertools
from datetime import timedelta
from uuid import UUID

import pytest

from tests.factories import CASE_ID, CLINICIAN_ID, FIXED_NOW, sequential_ids
from woundcare.domain.enums import ActorKind, WorkflowState
from woundcare.domain.provenance import (
    GENESIS_HASH,
    ProvenanceDraft,
    ProvenanceEntry,
    chain,
    changed_paths,
    verify_chain,
)


def draft(n: int, path: str = "patient.first_name") -> ProvenanceDraft:
    return ProvenanceDraft(at=FIXED_NOW + timedelta(seconds=n), actor_kind=ActorKind.PERSON,
                           actor_id=str(CLINICIAN_ID), agent="bio", field_path=f"{path}",
                           state=WorkflowState.BIO_INTAKE)


def five() -> list[ProvenanceEntry]:
    first = chain(CASE_ID, [draft(0), draft(1)], prev_hash=None, start_seq=0,
                  new_id=sequential_ids())
    rest = chain(CASE_ID, [draft(2), draft(3), draft(4)], prev_hash=first[-1].hash,
                 start_seq=2, new_id=sequential_ids(0xF01))
    return first + rest


def kinds(entries: list[ProvenanceEntry], **expected: object) -> set[str]:
    report = verify_chain(CASE_ID, entries, **expected)  # type: ignore[arg-type]
    assert report.ok is (not report.problems)
    return {p.kind for p in report.problems}


def test_intact_chain_verifies() -> None:
    entries = five()
    assert [e.seq for e in entries] == [0, 1, 2, 3, 4]
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert len({e.hash for e in entries}) == 5
    report = verify_chain(CASE_ID, entries, expected_head=entries[-1].hash, expected_count=5)
    assert report.ok
    assert report.entries == 5
    assert report.head == entries[-1].hash


def test_empty_chain() -> None:
    report = verify_chain(CASE_ID, [])
    assert report.ok
    assert report.head is None
    assert not verify_chain(CASE_ID, [], expected_count=3).ok


@pytest.mark.parametrize("field", ["field_path", "actor_id", "state", "agent", "at"])
def test_edited_entry_detected(field: str) -> None:
    entries = five()
    values: dict[str, object] = {
        "field_path": "patient.last_name", "actor_id": "someone-else",
        "state": WorkflowState.REVIEW, "agent": "export", "at": FIXED_NOW - timedelta(days=1),
    }
    entries[2] = entries[2].model_copy(update={field: values[field]})
    report = verify_chain(CASE_ID, entries)
    assert not report.ok
    assert [(p.seq, p.kind) for p in report.problems] == [(2, "edited")]


def test_edited_entry_with_recomputed_hash_breaks_the_next_link() -> None:
    from woundcare.domain.provenance import entry_hash

    entries = five()
    forged_draft = draft(2, "patient.mrn")
    forged = entries[2].model_copy(update={
        "field_path": "patient.mrn",
        "hash": entry_hash(CASE_ID, 2, forged_draft, entries[2].prev_hash)})
    entries[2] = forged
    report = verify_chain(CASE_ID, entries)
    assert [(p.seq, p.kind) for p in report.problems] == [(3, "broken_link")]


def test_inserted_entry_detected() -> None:
    entries = five()
    extra = chain(CASE_ID, [draft(9, "patient.age")], prev_hash=entries[1].hash,
                  start_seq=2)[0]
    tampered = [*entries[:2], extra, *list(entries[2:])]
    found = kinds(tampered)
    assert "sequence_gap" in found or "broken_link" in found
    assert not verify_chain(CASE_ID, tampered).ok


def test_deleted_middle_entry_detected() -> None:
    entries = five()
    del entries[2]
    assert kinds(entries) == {"sequence_gap", "broken_link"}


def test_truncated_tail_detected_with_expected_count_or_head() -> None:
    entries = five()
    head, count = entries[-1].hash, len(entries)
    cut = entries[:-2]
    assert verify_chain(CASE_ID, cut).ok  # a cut-off tail alone looks like a shorter chain
    assert kinds(cut, expected_count=count) == {"truncated"}
    assert kinds(cut, expected_head=head) == {"truncated"}


def test_reordered_entries_detected() -> None:
    entries = five()
    swapped = [e.model_copy(update={"seq": {1: 2, 2: 1}.get(e.seq, e.seq)}) for e in entries]
    assert "edited" in kinds(swapped)


def test_entry_of_another_case_detected() -> None:
    entries = five()
    other = UUID(int=CASE_ID.int + 1)
    entries[4] = entries[4].model_copy(update={"case_id": other})
    assert "wrong_case" in kinds(entries)


def test_changed_paths_leaves_only() -> None:
    before = {"patient": {"first_name": None, "age": 40}, "follow_ups": [{"answer": None}],
              "state": "VITALS"}
    after = {"patient": {"first_name": "Testy", "age": 40}, "follow_ups": [{"answer": "x"},
                                                                            {"answer": None}],
             "state": "TIME"}
    # A new list item with only empty leaves is still reported (by its index).
    assert changed_paths(before, after) == ["follow_ups.0.answer", "follow_ups.1",
                                            "patient.first_name", "state"]
    assert changed_paths(before, before) == []


def test_changed_paths_whole_object_added_or_removed() -> None:
    assert changed_paths({"seal": None}, {"seal": {"key_version": "v1", "paths": ["a"]}}) == [
        "seal.key_version", "seal.paths.0"]
    assert changed_paths({"seal": {"key_version": "v1"}}, {"seal": None}) == ["seal.key_version"]
    assert changed_paths({"review": None}, {"review": {}}) == ["review"]
