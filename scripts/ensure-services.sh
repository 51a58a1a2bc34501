#!/usr/bin/env bash
# Makes sure what the tests need is there: a PostgreSQL server to talk to (or binaries the
# test suite can start a throwaway cluster from). Under CI=true a missing PostgreSQL fails.
set -uo pipefail
if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then
  exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start 2>/dev/null || true
  for _ in $(seq 1 20); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 0.5; done
fi
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "PostgreSQL is not running; the tests will start a throwaway cluster." >&2
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing PostgreSQL from the distribution's packages for the tests..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || true
fi
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi
if [ "${CI:-}" = "true" ]; then echo "PostgreSQL is required under CI=true" >&2; exit 1; fi
echo "PostgreSQL not found: its tests will be skipped (they fail under CI=true)." >&2
