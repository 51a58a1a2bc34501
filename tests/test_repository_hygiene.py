"""Secret scanning of the tracked files (the CI's secret scanner)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PATTERNS = {
    "private key": re.compile(r"-----BEGIN ([A-Z]+ )?PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "API secret key": re.compile(r"\bsk-[A-Za-z0-9]{32,}\b"),
    "key assigned in an env file": re.compile(
        r"^(FIELD_ENCRYPTION_KEY|WOUNDCARE_[A-Z_]*(KEY|PEPPER))=[A-Za-z0-9+/]{43}=$", re.M
    ),
}


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / line for line in out.splitlines() if line]


def test_no_secrets_in_tracked_files() -> None:
    findings = []
    files = tracked_files()
    assert files, "git lists no files"
    for path in files:
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        findings.extend(f"{path.relative_to(ROOT)}: {name}"
                        for name, pattern in PATTERNS.items() if pattern.search(text))
    assert not findings, f"possible secrets committed: {findings}"


def test_the_scanner_catches_a_planted_key() -> None:
    planted = "FIELD_ENCRYPTION_KEY=" + "A" * 43 + "="
    assert PATTERNS["key assigned in an env file"].search(planted)
    assert not PATTERNS["key assigned in an env file"].search(
        "FIELD_ENCRYPTION_KEY=CHANGE_ME_BASE64_32_BYTES")
