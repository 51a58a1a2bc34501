"""The independent FHIR validator (Medplum's validateResource on the R4 definitions, run with
Node from tests/fhir_validator), installed from its lock file on first use."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parents[1] / "fhir_validator"


def ensure_validator() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Node and npm are needed for the FHIR validator")
        pytest.skip("Node/npm not installed")
    subprocess.run([str(HERE / "install.sh")], check=True, capture_output=True, timeout=300)


def validate(bundle: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """``{"errors": [...], "warnings": [...]}`` for the bundle and each of its resources."""
    ensure_validator()
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    done = subprocess.run(["node", str(HERE / "validate.mjs"), str(path)],
                          capture_output=True, text=True, timeout=120, cwd=HERE)
    assert done.stdout.strip(), done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def unresolvable_warnings(bundle: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """Warnings other than the validator's "Invalid reference" for a bundle-local urn:uuid
    (Medplum does not resolve transaction fullUrls) and the documented bp slice gap; a
    urn:uuid reference must name an entry of the bundle."""
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    left = []
    for issue in result["warnings"]:
        text = issue.get("details", {}).get("text", "")
        if text.startswith("[http"):  # a profile's finding: "[<profile url>] <text>"
            text = text.split("] ", 1)[1]
        if text.startswith('Invalid reference: got "urn:uuid:'):
            reference = text.split('"')[1]
            if reference in full_urls:
                continue
        if issue.get("code") == "validator-gap":
            continue
        left.append(text)
    return left
