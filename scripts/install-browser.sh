#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the console's end-to-end tests (Playwright
# drives it through executable_path; browser downloads are not possible here).
# Idempotent and silent when Chromium is already there. Under CI=true a Chromium that cannot
# be installed is an error; otherwise the e2e tests skip with a message.
set -uo pipefail
CHROMIUM=${WOUNDCARE_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium from the distribution's packages for the console tests..." >&2
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium) >"$log" 2>&1 \
    || { echo "apt-get could not install chromium:" >&2; tail -20 "$log" >&2; }
  rm -f "$log"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "Installing Chromium (sudo) for the console tests..." >&2
  (sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends chromium >/dev/null) \
    || echo "apt-get could not install chromium." >&2
fi
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "Chromium is required under CI=true (expected at $CHROMIUM)." >&2
  exit 1
fi
echo "Chromium not found at $CHROMIUM: the console's e2e tests will be skipped." >&2
exit 0
