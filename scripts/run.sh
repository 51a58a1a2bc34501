#!/usr/bin/env bash
# The README's run command: set up on first use, then start woundcare.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
# No command, or options first (./scripts/run.sh --port 8001): the default command is serve.
if [ "$#" -eq 0 ] || { [[ "$1" == -* ]] && [ "$1" != "--help" ] && [ "$1" != "-h" ]; }; then
  set -- serve "$@"
fi
exec .venv/bin/woundcare "$@"
