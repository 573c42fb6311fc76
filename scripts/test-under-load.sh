#!/usr/bin/env bash
# The whole suite (the README's `npm test`) N times in a row beside a CPU hog: one busy loop per
# core, each bounded by `timeout`, ended when the runs end. Stops at the first failed run.
#   bash scripts/test-under-load.sh [runs=5] [hog seconds=9000]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
hog_seconds=${2:-9000}
hogs=()
for _ in $(seq "$(nproc)"); do
  timeout "$hog_seconds" sh -c 'while :; do :; done' &
  hogs+=($!)
done
trap 'kill "${hogs[@]}" 2>/dev/null' EXIT
for n in $(seq "$runs"); do
  started=$(date +%s)
  npm test > "/tmp/test-under-load-$n.log" 2>&1
  rc=$?
  echo "run $n: exit $rc in $(( $(date +%s) - started )) s, load $(cut -d' ' -f1-3 /proc/loadavg); $(tail -1 "/tmp/test-under-load-$n.log")"
  [ "$rc" -eq 0 ] || { echo "run $n failed: /tmp/test-under-load-$n.log"; exit 1; }
done
