#!/usr/bin/env bash
# Set up and run LEDS Admin on a laptop with demo data: SQLite, Celery on the filesystem broker,
# e-mail to var/mail/. Starts web + worker + beat under honcho; Ctrl-C stops all three.
set -euo pipefail
source "$(dirname "$0")/_env.sh"

missing=$(missing_debian_packages)
if [ -n "${missing// /}" ]; then
  die "missing Debian packages for PDF output: $missing— install them with: sudo apt-get install $missing"
fi
ensure_venv base
ensure_node_modules

export DEBUG=${DEBUG:-1}
export PYTHONUNBUFFERED=1
say "Migrating the database"
.venv/bin/python manage.py migrate --no-input -v 0
say "Loading demo data"
.venv/bin/python manage.py seed_demo
say "Starting web (http://localhost:${PORT:-8000}), Celery worker and Celery beat — Ctrl-C stops them"
export PORT=${PORT:-8000}
exec .venv/bin/honcho -f Procfile.dev start
