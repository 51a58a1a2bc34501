#!/usr/bin/env bash
# Install the test-only FHIR validator (Medplum's validateResource) from the lock file.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.lock-copy; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json node_modules/.lock-copy
