"""Finding 1 (standing test): zero PHI bytes at rest outside encrypted columns, in any table.

A whole case with distinctive synthetic PHI is run through the API with an Idempotency-Key
on every write (as the console autosaves), some of them replayed; then the raw bytes of every
file under the data directory (the SQLite file, its -wal and -shm, the blob folder) and, on
PostgreSQL, every table of a ``pg_dump --data-only`` taken as the owner role (which sees past
row-level security) are searched for each PHI string. A table added later is covered too.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Api, World
from tests.api.flows import PHI_MARKERS, run_whole_case
from tests.security.helpers import KeyedApi
from woundcare.api.app import create_app


def _hits(data: bytes) -> list[str]:
    lowered = data.lower()
    found = []
    for marker in PHI_MARKERS:
        for encoding in ("utf-8", "utf-16-le"):
            if marker.lower().encode(encoding) in lowered:
                found.append(f"{marker} ({encoding})")
    return found


def _files_with_phi(root: Path) -> dict[str, list[str]]:
    result = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        hits = _hits(path.read_bytes())
        if hits:
            result[str(path.relative_to(root))] = hits
    return result


def _pg_dump(world: World) -> str:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not installed")
    url = world.backend.owner.engine.url.set(drivername="postgresql")
    completed = subprocess.run(
        [pg_dump, "--data-only", "--no-owner", "--enable-row-security", "--dbname",
         url.render_as_string(hide_password=False)],
        capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


def _tables_with_phi(dump: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    table = "?"
    for line in dump.splitlines():
        if line.startswith("COPY "):
            table = line.split()[1]
            continue
        hits = _hits(line.encode())
        if hits:
            result.setdefault(table, []).extend(hits)
    return result


def _run_case_with_keys(world: World) -> dict[str, Any]:
    api = KeyedApi(create_app(world.runtime))
    api.login(world.alice)
    case = run_whole_case(api)
    # a replayed write (same key, same body) and a read of the case
    again = api.post("/api/cases", key="replayed-key", json={})
    assert again.status_code == 201
    replay = api.post("/api/cases", key="replayed-key", json={})
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert api.get(f"/api/session/{case['case_id']}").status_code == 200
    return case


def test_no_phi_at_rest_in_any_table_or_file(world: World, tmp_path: Path) -> None:
    case = _run_case_with_keys(world)
    assert case["state"] == "DONE"
    # the data directory (SQLite file, -wal, -shm, blobs) of both stores
    assert _files_with_phi(tmp_path) == {}
    if world.backend.name == "postgresql":
        dump = _pg_dump(world)
        assert "COPY " in dump
        assert "idempotency_records" in dump
        assert _tables_with_phi(dump) == {}


def test_the_scan_finds_phi_when_it_is_there(world: World, tmp_path: Path) -> None:
    """The scan itself can fail: a marker written in clear to a table is found."""
    from sqlalchemy import text

    with world.backend.owner.unit_of_work(None) as uow:
        uow.conn.execute(text("UPDATE organisations SET name = :n"), {"n": PHI_MARKERS[0]})
    if world.backend.name == "postgresql":
        assert "public.organisations" in _tables_with_phi(_pg_dump(world))
    else:
        world.backend.app.dispose()
        assert _files_with_phi(tmp_path)


def test_keyed_client_sends_keys(api: Api) -> None:
    assert api.headers(key="k")["Idempotency-Key"] == "k"
