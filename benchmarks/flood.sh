#!/usr/bin/env bash
# Half-open connection floods (the slowloris pattern): N connections each send part of a request
# head and hold it, while a probe client makes 20 requests on new connections. Reports how many
# connections were held, how many probes were answered 200 and how fast, and the server's RSS and
# threads with the connections held. Runs at 3,000 and 10,000 connections (or the counts given),
# for the current code and, when a revision is given, the code of that commit in the same run.
# Usage: benchmarks/flood.sh [BASELINE-REV] [COUNT...]. Goal: at 10,000, every probe within 100 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
baseline_rev=${1:-}
shift || true
counts=("${@:-3000}")
[ $# -gt 0 ] || counts=(3000 10000)
source benchmarks/lib.sh

binaries=("current:$(build_release)")
[ -n "$baseline_rev" ] && binaries+=("baseline $baseline_rev:$(build_release "$(baseline_checkout "$baseline_rev")")")
for entry in "${binaries[@]}"; do
  for count in "${counts[@]}"; do
    port=$(free_port)
    "${entry#*:}" serve --port "$port" >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/__admin/health" >/dev/null && break; sleep 0.05; done
    idle=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
    printf '%s, %s half-open connections (idle RSS %s MiB): %s\n' "${entry%%:*}" "$count" "$idle" \
      "$(SERVER_PID=$pid python3 benchmarks/flood.py "$port" "$count" 20)"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  done
done
