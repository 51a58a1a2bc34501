"""Statements per request, counted with a SQLAlchemy event listener on the application's
engine: an autosave write and a snapshot read must stay one short transaction each (the
session lookup, the work and its audit together), with no rate-limit counter in the database
and no session touch while the last touch is recent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from tests.api.conftest import Api, World


@contextmanager
def statements(world: World) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = world.runtime.db.engine

    def before(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split())[:120])

    def begin(conn: Any) -> None:
        seen.append("BEGIN")

    def commit(conn: Any) -> None:
        seen.append("COMMIT")

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "begin", begin)
    event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "begin", begin)
        event.remove(engine, "commit", commit)


def _autosave(api: Api, case: dict[str, Any], index: int) -> dict[str, Any]:
    return api.step(case, "bio", json={"patient": {"first_name": f"Sampleton{index % 2}"}},
                    key=f"key-{index}")


@pytest.mark.postgres
def test_statements_per_autosave_and_snapshot_read(world: World, api: Api) -> None:
    if world.backend.name != "postgresql":
        pytest.skip("counted on PostgreSQL")
    case = api.fire(api.create_case(), "BEGIN")
    for index in range(3):  # warm: the session was touched at log-in
        case = _autosave(api, case, index)
    with statements(world) as write:
        case = _autosave(api, case, 3)
    with statements(world) as read:
        assert api.get(f"/api/session/{case['case_id']}").status_code == 200
    print("\n".join(["-- write", *write, "-- read", *read]))
    for seen in (write, read):  # one transaction each
        assert seen.count("BEGIN") == 1, seen
        assert seen.count("COMMIT") == 1, seen
    assert not [s for s in write + read if "rate_limit" in s], "rate limits left the database"
    assert not [s for s in write + read if s.startswith("UPDATE login_sessions")]
    # BEGIN, session lookup (which also sets the identity), idempotency claim (one statement:
    # its lock timeout is set by the insert's CTE), case, update, provenance, audit,
    # idempotency answer, COMMIT. Before issue 12: two transactions and the rate-limit upsert
    # in a third; 16 statements before the claim became one statement and the timeline counts
    # moved onto the case row; 10 before the lookup set the identity.
    assert len(write) <= 7, write
    # BEGIN, session lookup, the case with its audit event (one statement), COMMIT.
    assert len(read) <= 4, read  # was 10 in two transactions (+ a third for the limit)
    assert not [s for s in write + read if s.startswith("SELECT set_config('woundcare.org_id'")]
    assert not [s for s in write + read if "count(" in s.lower()], "counted per request"


def test_the_timeline_is_paged_newest_first_and_the_snapshot_counts_only(
        world: World, api: Api) -> None:
    case = api.fire(api.create_case(), "BEGIN")
    for index in range(6):
        case = _autosave(api, case, index)
    steps = {step["state"]: step for step in case["timeline"]}
    assert "entries" not in steps["BIO_INTAKE"]
    url = f"/api/session/{case['case_id']}/timeline"
    everything = api.get(url, params={"limit": 200}).json()
    assert everything["next_cursor"] is None
    seqs = [entry["seq"] for entry in everything["entries"]]
    assert seqs == sorted(seqs, reverse=True)
    assert len(seqs) == len(set(seqs))
    assert sum(step["changes"] for step in case["timeline"]) == len(seqs)
    assert steps["BIO_INTAKE"]["changes"] == sum(
        1 for e in everything["entries"] if e["state"] == "BIO_INTAKE")
    # paging with the cursor walks the same entries, three at a time
    walked: list[int] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.get(url, params=params).json()
        walked += [entry["seq"] for entry in page["entries"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == seqs
    only = api.get(url, params={"state": "START"}).json()["entries"]
    assert only
    assert all(entry["state"] == "START" for entry in only)
    for bad in ({"cursor": "x"}, {"limit": 0}, {"limit": 201}, {"state": "NOPE"}):
        response = api.get(url, params=bad)
        assert response.status_code == 422, (bad, response.text)
    other = f"/api/session/{api.create_case()['case_id']}/timeline"
    assert api.get(other).status_code == 200
