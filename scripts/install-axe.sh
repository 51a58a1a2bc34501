#!/usr/bin/env bash
# Test-only: installs axe-core (the accessibility rules the end-to-end tests run in the
# browser) into tests/e2e/axe/node_modules from the committed package-lock.json. The
# application never serves it. Needs Node.js and npm (scripts/install-tools.sh).
set -euo pipefail
cd "$(dirname "$0")/../tests/e2e/axe"
if [ -f node_modules/axe-core/axe.min.js ]; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm is needed to install axe-core for the accessibility tests" >&2; exit 1; }
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
