#!/usr/bin/env bash
# The README's run command: set up on first use, then start woundcare.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/woundcare "${@:-serve}"
