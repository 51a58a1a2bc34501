#!/usr/bin/env bash
# Creates .venv with Python 3.11+ and installs the locked dependencies and the package.
# Idempotent: reinstalls only when requirements.lock or pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      PY=$candidate; break
    fi
  done
fi
[ -n "$PY" ] || { echo "woundcare needs Python 3.11 or newer" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.woundcare-installed
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
quiet_pip() {
  # Some machines' pip configuration names local mirror folders that do not exist; pip warns
  # about each of them for every package. Those lines are noise; everything else is shown.
  .venv/bin/python -m pip "$@" 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }
  return "${PIPESTATUS[0]}"
}
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing woundcare's locked dependencies into .venv (first run only)..." >&2
  quiet_pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
  quiet_pip install --quiet --disable-pip-version-check --no-deps -e .
  echo "$want" > "$stamp"
fi
