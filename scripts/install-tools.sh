#!/usr/bin/env bash
# Makes sure the Debian tools the tests drive are installed: Chromium (Playwright drives it
# through executable_path), Tesseract OCR with English data, nginx, PgBouncer, promtool (from
# the prometheus package), poppler-utils (pdftotext/pdftoppm), espeak-ng, Redis server.
# Idempotent and silent when everything is there. Under CI=true a tool that cannot be installed
# is an error; otherwise the tests that need it skip with a message.
set -uo pipefail
# binary -> Debian package
declare -A wanted=(
  [chromium]=chromium
  [tesseract]="tesseract-ocr tesseract-ocr-eng"
  [nginx]=nginx
  [pgbouncer]=pgbouncer
  [promtool]=prometheus
  [pdftotext]=poppler-utils
  [espeak-ng]=espeak-ng
  [redis-server]=redis-server
)
missing=()
for binary in "${!wanted[@]}"; do
  if ! command -v "$binary" >/dev/null 2>&1 && [ ! -x "/usr/bin/$binary" ] && [ ! -x "/usr/sbin/$binary" ]; then
    # shellcheck disable=SC2206
    missing+=(${wanted[$binary]})
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing from the distribution's packages for the tests: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}") >"$log" 2>&1 \
    || { echo "apt-get could not install ${missing[*]}:" >&2; tail -20 "$log" >&2; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  (sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}") >"$log" 2>&1 \
    || echo "apt-get could not install ${missing[*]}." >&2
fi
rm -f "$log"
still=()
for binary in "${!wanted[@]}"; do
  if ! command -v "$binary" >/dev/null 2>&1 && [ ! -x "/usr/bin/$binary" ] && [ ! -x "/usr/sbin/$binary" ]; then
    still+=("$binary")
  fi
done
if [ ${#still[@]} -gt 0 ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "Required under CI=true but missing: ${still[*]}" >&2
    exit 1
  fi
  echo "Missing (their tests will be skipped): ${still[*]}" >&2
fi
exit 0
