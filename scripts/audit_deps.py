#!/usr/bin/env python3
"""Dependency audit of the lock file with pip-audit, honest about what it could check.

    python scripts/audit_deps.py [--timeout SECONDS]

Runs ``pip-audit -r requirements.lock --require-hashes --disable-pip`` and reads its JSON.
pip-audit reports a package its vulnerability service cannot look up as *skipped* and still
says "No known vulnerabilities found" and exits 0 - so this script, not pip-audit's exit
status, decides, and prints one plain line:

* ``dependency audit passed: N packages checked, no known vulnerabilities``
* ``dependency audit FAILED: ...`` (known vulnerabilities; exit status 1)
* ``dependency audit NOT RUN: vulnerability database unreachable (...)`` when nothing could
  be checked, or ``dependency audit INCOMPLETE: ...`` when only some could.

The result is also written to ``test-artifacts/dependency-audit.json`` with the lock file's
SHA-256, so the pytest run shows it (tests/test_repository_hygiene.py: a skip with that line
when not run, never a pass).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
RESULT = ROOT / "test-artifacts" / "dependency-audit.json"


def audit(timeout: int) -> dict[str, object]:
    command = [sys.executable, "-m", "pip_audit", "-r", str(LOCK), "--require-hashes",
               "--disable-pip", "--progress-spinner", "off", "--timeout", "10", "-f", "json"]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"status": "not_run", "line": "dependency audit NOT RUN: vulnerability "
                f"database unreachable (no answer within {timeout} s)"}
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
        return {"status": "not_run", "line": "dependency audit NOT RUN: vulnerability "
                f"database unreachable (pip-audit: {reason})"}
    return decide(report)


def decide(report: dict[str, Any]) -> dict[str, object]:
    """The verdict on pip-audit's JSON report."""
    packages = report.get("dependencies", [])
    skipped = [p for p in packages if p.get("skip_reason")]
    vulnerable = [(p["name"], p.get("version", "?"), v.get("id", "?"))
                  for p in packages for v in p.get("vulns", [])]
    checked = len(packages) - len(skipped)
    if vulnerable:
        listed = ", ".join(f"{name} {version} ({vid})" for name, version, vid in vulnerable)
        return {"status": "vulnerable", "line": f"dependency audit FAILED: {listed}",
                "vulnerable": vulnerable}
    if packages and checked == 0:
        return {"status": "not_run", "line": "dependency audit NOT RUN: vulnerability "
                f"database unreachable (0 of {len(packages)} packages could be looked up)"}
    if skipped:
        return {"status": "incomplete", "line": f"dependency audit INCOMPLETE: {checked} of "
                f"{len(packages)} packages checked, no known vulnerabilities among them; "
                f"{len(skipped)} could not be looked up"}
    return {"status": "passed", "line": f"dependency audit passed: {checked} packages "
            "checked, no known vulnerabilities"}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=int, default=180)
    args = parser.parse_args()
    result = audit(args.timeout)
    result["lock_sha256"] = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(result["line"])
    return 1 if result["status"] == "vulnerable" else 0


if __name__ == "__main__":
    sys.exit(main())
