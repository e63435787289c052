#!/usr/bin/env bash
# Instructions the server executes per request on the full gateway route, counted by callgrind,
# for the current code and the code of an earlier commit in the same run. Instruction counts do not
# depend on what else the machine is doing, so this compares code where requests/s (gateway.sh)
# drifts with load; it counts user space only, not the kernel's share (system calls, switches).
# Usage: benchmarks/instructions.sh [REQUESTS] [BASELINE-REV] (default 1000 requests, no baseline).
# Needs valgrind. Counting starts after start-up, the token's minting and one warm-up request
# (callgrind_control switches it on), so each figure is the instructions of REQUESTS requests / REQUESTS.
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-1000}
baseline_rev=${2:-}
source benchmarks/lib.sh
command -v valgrind >/dev/null || { echo "instructions.sh needs valgrind (apt-get install valgrind)" >&2; exit 1; }

# per_request BINARY KIND: instructions per request of KIND.
per_request() {
  local port out pid
  port=$(free_port) out="$work/callgrind.$RANDOM"
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" "$1" serve --port "$port" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 200); do curl -s "http://127.0.0.1:$port/__admin/health" >/dev/null && break; sleep 0.1; done
  python3 benchmarks/drive.py "$port" "$requests" "$2" "callgrind_control -i on $pid 2>/dev/null"
  callgrind_control -i off "$pid" >/dev/null 2>&1
  kill -INT "$pid"
  wait "$pid" 2>/dev/null || true
  echo $(( $(awk '/^totals:/ {print $2; exit}' "$out") / requests ))
}

binaries=("current:$(build_release)")
[ -n "$baseline_rev" ] && binaries+=("baseline $baseline_rev:$(build_release "$(baseline_checkout "$baseline_rev")")")
for entry in "${binaries[@]}"; do
  for kind in basic bearer; do
    printf '%s, %s through the gateway: %s instructions per request\n' "${entry%%:*}" "$kind" "$(per_request "${entry#*:}" "$kind")"
  done
done
