#!/usr/bin/env bash
# A production-like run, end to end (issue 17). Run by .ci/run and by hand: bash scripts/smoke.sh
#
# DEBUG off with a freshly generated SECRET_KEY and MFA key; collectstatic (hashed names, served by whitenoise);
# the Procfile's web (gunicorn on a free local port), worker and beat (Celery on Redis), a scratch PostgreSQL
# database, and an SMTP sink (aiosmtpd writing to a Maildir). Over HTTP (scripts/smoke_http.py): sign in with
# password + TOTP, register for an event, run the reminder sweep, wait for the e-mails at the sink, build an
# audit packet through the web and download it, check hashed static files, a 404 and a 403 page.
# Every process it starts is stopped on exit (trap), the scratch database dropped, the work folder removed.
#
# Needs PostgreSQL and Redis running. Settings (all optional):
#   SMOKE_PG_URL     an admin connection for CREATE/DROP DATABASE  (postgres://postgres@127.0.0.1:5432/postgres)
#   SMOKE_REDIS_URL  a Redis database the run may empty             (redis://127.0.0.1:6379/15)
#   SMOKE_STATIC_COMPRESS=1  also gzip/brotli the static files, as the image does (slower)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
[ -x "$PY" ] || { echo "run scripts/test.sh once first (it builds .venv)" >&2; exit 1; }
export PATH="$ROOT/.venv/bin:$PATH"  # the Procfile's gunicorn, celery and python come from .venv
started_at=$SECONDS

WORK=$(mktemp -d "${TMPDIR:-/tmp}/leds-smoke.XXXXXX")
DB_NAME="ledsadmin_smoke_$$"
PG_URL=${SMOKE_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PIDS=()
NAMES=()

say() { printf '\033[1m==> %s\033[0m (%ss)\n' "$*" "$((SECONDS - started_at))"; }

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

start() {  # start NAME COMMAND...: in the background, output to $WORK/NAME.log
  local name=$1; shift
  "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!); NAMES+=("$name")
}

stop_all() {
  local rc=$? i pid children=()
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do children+=($(ps -o pid= --ppid "$pid" 2>/dev/null || true)); done
  say "stopping ${NAMES[*]}"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for i in "${!PIDS[@]}"; do  # each gets up to 15 s to stop cleanly (a task in flight, gunicorn's workers)
    for _ in $(seq 1 150); do kill -0 "${PIDS[$i]}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "${PIDS[$i]}" 2>/dev/null && echo "${NAMES[$i]} did not stop on TERM: killed" >&2
    wait "${PIDS[$i]}" 2>/dev/null || true
  done
  for pid in "${children[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  say "stopped"
  local left=()
  for pid in "${PIDS[@]}" "${children[@]}"; do kill -0 "$pid" 2>/dev/null && left+=("$pid"); done
  if [ $rc -ne 0 ]; then
    for i in "${!NAMES[@]}"; do
      echo "---- last lines of ${NAMES[$i]}.log"; tail -n 25 "$WORK/${NAMES[$i]}.log" 2>/dev/null || true
    done
  fi
  "$PY" - "$PG_URL" "$DB_NAME" <<'PYEOF' || true
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
PYEOF
  rm -rf "$WORK"
  if [ ${#left[@]} -gt 0 ]; then echo "processes still running after the smoke run: ${left[*]}" >&2; rc=1; fi
  if [ $rc -eq 0 ]; then say "smoke run passed; every process it started is stopped"; else echo "SMOKE RUN FAILED" >&2; fi
  exit $rc
}
trap stop_all EXIT INT TERM

# --- the environment: production settings, secrets generated for this run --------------------------------------
PORT=$(free_port); SMTP_PORT=$(free_port)
secret() { "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))'; }
export DEBUG=0 SECRET_KEY="smoke-$(secret)" MFA_ENCRYPTION_KEY="smoke-$(secret)"
export ALLOWED_HOSTS=127.0.0.1 SITE_URL="http://127.0.0.1:$PORT" CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$PORT"
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false  # plain HTTP on localhost
export DATABASE_URL="${PG_URL%/*}/$DB_NAME" REDIS_URL=${SMOKE_REDIS_URL:-redis://127.0.0.1:6379/15}
export EMAIL_URL="smtp://127.0.0.1:$SMTP_PORT" VAR_DIR="$WORK/var" STATIC_ROOT="$WORK/static"
export STATIC_COMPRESS=${SMOKE_STATIC_COMPRESS:-0}
export HOST=127.0.0.1 PORT WEB_CONCURRENCY=2 WORKER_CONCURRENCY=2 PYTHONUNBUFFERED=1
unset DJANGO_SETTINGS_MODULE CELERY_TASK_ALWAYS_EAGER
mkdir -p "$WORK/mail/tmp" "$WORK/mail/new" "$WORK/mail/cur" "$VAR_DIR"  # a Maildir for the sink

say "PostgreSQL database $DB_NAME, Redis $REDIS_URL"
"$PY" - "$PG_URL" "$DB_NAME" "$REDIS_URL" <<'PYEOF'
import sys, psycopg, redis
with psycopg.connect(sys.argv[1], autocommit=True) as connection:
    connection.execute(f'CREATE DATABASE "{sys.argv[2]}"')
redis.Redis.from_url(sys.argv[3]).flushdb()  # no task left over from an earlier run
PYEOF

say "SMTP sink on 127.0.0.1:$SMTP_PORT"
start smtp "$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$WORK/mail"

say "migrate (the Procfile's release) while collectstatic runs; check --deploy"
"$PY" manage.py collectstatic --no-input -v 0 >"$WORK/collectstatic.log" 2>&1 &
collect=$!
scripts/procfile.sh release >"$WORK/release.log" 2>&1 || { tail -n 30 "$WORK/release.log"; exit 1; }
say "migrated"
"$PY" manage.py check --deploy --fail-level ERROR >/dev/null
"$PY" scripts/smoke_http.py seed "$WORK/state.json"
wait "$collect" || { tail -n 30 "$WORK/collectstatic.log"; exit 1; }
say "static files collected"

say "web (gunicorn on 127.0.0.1:$PORT), worker and beat from the Procfile"
start web scripts/procfile.sh web
start worker scripts/procfile.sh worker
start beat scripts/procfile.sh beat
for _ in $(seq 1 120); do
  "$PY" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/accounts/login/', timeout=2)" \
    2>/dev/null && break
  sleep 0.5
done
for _ in $(seq 1 120); do grep -q "ready\." "$WORK/worker.log" && break; sleep 0.5; done
grep -q "ready\." "$WORK/worker.log" || { echo "the Celery worker did not start" >&2; exit 1; }
for i in "${!PIDS[@]}"; do kill -0 "${PIDS[$i]}" 2>/dev/null || { echo "${NAMES[$i]} exited early" >&2; exit 1; }; done

say "over HTTP"
SMOKE_BASE_URL="http://127.0.0.1:$PORT" SMOKE_MAILDIR="$WORK/mail" "$PY" scripts/smoke_http.py run "$WORK/state.json"
grep -q "beat: Starting" "$WORK/beat.log" || { echo "Celery beat did not start" >&2; exit 1; }
kill -0 "${PIDS[3]}" 2>/dev/null || { echo "Celery beat is not running" >&2; exit 1; }
say "beat is running"
