#!/bin/sh
# Run Procfile lines by name: "scripts/procfile.sh release web" runs release, then becomes web (exec), so a
# container's or the smoke run's signal reaches the process itself. The commands live only in the Procfile.
set -eu
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 NAME... (names from the Procfile)" >&2; exit 2; }
while [ $# -gt 0 ]; do
  cmd=$(sed -n "s/^$1:[[:space:]]*//p" Procfile)
  [ -n "$cmd" ] || { echo "the Procfile has no process named $1" >&2; exit 2; }
  shift
  if [ $# -eq 0 ]; then eval "exec $cmd"; else eval "$cmd"; fi
done
