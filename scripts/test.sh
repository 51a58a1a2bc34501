#!/usr/bin/env bash
# The README's test command: set up on first use, check style and types, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/ensure-services.sh
bash scripts/install-browser.sh
bash scripts/install-tools.sh
echo "== ruff"; .venv/bin/ruff check src tests
echo "== mypy"; .venv/bin/mypy
# Needs the vulnerability service: says "NOT RUN" in plain words when it cannot be reached
# (pytest then shows the same line as a skip); fails on a known vulnerability.
echo "== dependency audit"; .venv/bin/python scripts/audit_deps.py
echo "== pytest"; .venv/bin/python -m pytest "$@"
