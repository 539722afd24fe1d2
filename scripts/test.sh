#!/usr/bin/env bash
# Run the whole test suite, installing what it needs the first time (Python packages, npm packages,
# Debian's chromium for the browser tests when this user may install it).
# Without DATABASE_URL/REDIS_URL it runs on SQLite and skips, with the reason, what needs PostgreSQL
# or Redis; with them set (as in CI) it runs on PostgreSQL and Redis. Extra arguments go to pytest (after -n, so
# "-n 0" or "-n 3" there wins).
set -euo pipefail
source "$(dirname "$0")/_env.sh"

ensure_venv dev
ensure_node_modules

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
      || say "could not install chromium: browser tests will be skipped"
  else
    say "chromium is not installed (sudo apt-get install chromium): browser tests will be skipped"
  fi
fi

if [ -n "${DATABASE_URL:-}" ]; then say "Tests on $(printf '%s' "$DATABASE_URL" | sed -E 's#//[^@]*@#//#')"; else say "Tests on SQLite (set DATABASE_URL for PostgreSQL)"; fi
set +e
# The tests run on parallel workers (pytest-xdist; TEST_WORKERS, default one per CPU), each with its own test
# database and Redis database; "-n 0" among the arguments runs them in this one process.
workers=${TEST_WORKERS:-auto}
say "Tests on $workers worker(s) (TEST_WORKERS=N, or -n 0 for one process)"
.venv/bin/python -m pytest -n "$workers" --dist worksteal "$@"
rc=$?
set -e
exit $rc
