"""From a fresh data directory: `woundcare demo`, then `woundcare export fhir` / `export
verify` / `export report` on its case (what the issue's "done when" runs)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import sqlalchemy as sa

from tests.handoff.validator import unresolvable_warnings, validate


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WOUNDCARE_")}
    env.update({"WOUNDCARE_DATA_DIR": str(tmp_path / ".data"),
                "WOUNDCARE_PASSWORD_HASH_FAST": "true"})
    return subprocess.run([sys.executable, "-c", "from woundcare.cli import main; main()",
                           *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def demo_case(tmp_path: Path, output: str) -> str:
    """The demo prints its case as ``case: <uuid>`` on a line of its own."""
    found = re.search(r"^case: ([0-9a-f-]{36})$", output, re.MULTILINE)
    assert found, output[-2000:]
    engine = sa.create_engine(f"sqlite:///{tmp_path / '.data' / 'woundcare.db'}")
    with engine.connect() as conn:
        raw = conn.execute(sa.text("SELECT id FROM cases WHERE state = 'DONE'")).scalar_one()
    engine.dispose()
    assert uuid.UUID(str(raw)) == uuid.UUID(found.group(1))
    return found.group(1)


def test_demo_then_export(tmp_path: Path) -> None:
    demo = cli(tmp_path, "demo")
    assert demo.returncode == 0, demo.stdout + demo.stderr
    case_id = demo_case(tmp_path, demo.stdout)
    fhir = cli(tmp_path, "export", "fhir", case_id, "--out", "case.json")
    assert fhir.returncode == 0, fhir.stderr
    assert cli(tmp_path, "export", "verify", "case.json").returncode == 0
    bundle = json.loads((tmp_path / "case.json").read_text())
    result = validate(bundle, tmp_path)
    assert result["errors"] == []
    assert unresolvable_warnings(bundle, result) == []
    report = cli(tmp_path, "export", "report", case_id, "--out", "report.pdf")
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "Wound-care visit report" in text
    unknown = cli(tmp_path, "export", "fhir", str(uuid.uuid4()), "--out", "x.json")
    assert unknown.returncode == 2
