# Shared by scripts/dev.sh and scripts/test.sh: check the machine, build .venv and node_modules.
# Sourced, not run. Installs only into the project folder (.venv, node_modules).

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1

PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
  for cand in python3.11 python3; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))'; then
      PYTHON=$cand; break
    fi
  done
fi
[ -n "$PYTHON" ] || die "Python 3.11 or newer is needed (python3.11 not found)."
command -v npm >/dev/null 2>&1 || die "Node.js and npm are needed (apt-get install nodejs npm)."

missing_debian_packages() {
  # WeasyPrint needs pango and harfbuzz-subset (README: Debian packages). ldconfig's list is captured once and
  # searched by the shell: "ldconfig -p | grep -q" failed under pipefail whenever grep quit at its first match
  # and ldconfig died of SIGPIPE (issue 17).
  local ldconfig libraries missing=()
  ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
  libraries=$("$ldconfig" -p 2>/dev/null || true)
  [[ $libraries == *libpango-1.0.so* ]] || missing+=(libpango-1.0-0)
  [[ $libraries == *libpangoft2-1.0.so* ]] || missing+=(libpangoft2-1.0-0)
  [[ $libraries == *libharfbuzz-subset.so* ]] || missing+=(libharfbuzz-subset0)
  if [ ${#missing[@]} -gt 0 ]; then printf '%s ' "${missing[@]}"; fi
}

ensure_venv() {
  local extras=$1 stamp=.venv/.installed-$1
  if [ ! -x .venv/bin/python ]; then
    say "Creating the virtual environment in .venv"
    "$PYTHON" -m venv .venv || die "could not create .venv (Debian: apt-get install python3-venv)"
  fi
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    say "Installing Python packages ($extras)"
    .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
    if [ "$extras" = dev ]; then .venv/bin/python -m pip install --quiet -e ".[dev]" || die "pip install failed"
    else .venv/bin/python -m pip install --quiet -e . || die "pip install failed"; fi
    touch "$stamp"
  fi
}

ensure_node_modules() {
  if [ ! -d node_modules/@uswds/uswds/dist ] || [ ! -d node_modules/htmx.org/dist ] || [ package.json -nt node_modules ]; then
    say "Installing front-end packages (USWDS, htmx)"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent || die "npm ci failed"
    else npm install --no-audit --no-fund --silent || die "npm install failed"; fi
    touch node_modules
  fi
}
