#!/usr/bin/env bash
# Requests per second of the full gateway route, this code against an earlier commit, in the same
# run: GET /ex/confluence/{cloudId}/wiki/api/v2/pages/1001 with basic auth and with a 3LO Bearer
# token, 32 connections, wrk on loopback. Both servers run side by side (warmed up for 3 seconds,
# which also fills their journals, as in a long run); each round measures one after the other, the
# order swapped every round, and the figure is the median of the per-round ratios with a 95%
# bootstrap interval. This 2-core machine's speed drifts from round to round by more than the
# difference being measured, which only the ratio within a round cancels.
# Usage: benchmarks/throughput.sh [ROUNDS] BASELINE-REV (default 20 rounds of 3 seconds per server
# and credential). Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
baseline_rev=${2:?usage: benchmarks/throughput.sh [ROUNDS] BASELINE-REV}
source benchmarks/lib.sh
round_seconds=3
current_bin=$(build_release)
baseline_bin=$(build_release "$(baseline_checkout "$baseline_rev")")
start_gateway_mock current "$current_bin"
start_gateway_mock baseline "$baseline_bin"

# header NAME KIND: the Authorization header of KIND for server NAME.
header() { if [ "$2" = basic ]; then echo "$basic_header"; else local var="token_$1"; echo "Authorization: Bearer ${!var}"; fi; }
url() { local var="port_$1"; echo "http://127.0.0.1:${!var}$gateway_path"; }

for kind in basic bearer; do
  for name in current baseline; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "$(header "$name" "$kind")" "$(url "$name")")" = 200 ]
    wrk -t2 -c32 -d3s -H "$(header "$name" "$kind")" "$(url "$name")" > /dev/null
  done
  ratios=()
  for round in $(seq "$rounds"); do
    order=(current baseline)
    (( round % 2 )) || order=(baseline current)
    declare -A rate=()
    for name in "${order[@]}"; do rate[$name]=$(rps -H "$(header "$name" "$kind")" "$(url "$name")"); done
    ratios+=("$(ratio "${rate[current]}" "${rate[baseline]}")")
    echo "$kind round $round: current ${rate[current]} requests/s, baseline ${rate[baseline]} (ratio ${ratios[-1]})"
  done
  python3 - "$kind" "$baseline_rev" "${ratios[@]}" <<'PY'
import random, statistics, sys
kind, rev, ratios = sys.argv[1], sys.argv[2], [float(r) for r in sys.argv[3:]]
rng = random.Random(1)
medians = sorted(statistics.median(rng.choices(ratios, k=len(ratios))) for _ in range(10000))
print(f"{kind} through the gateway, 32 connections: current / {rev} = {statistics.median(ratios):.2f} "
      f"(95% interval {medians[250]:.2f}-{medians[9749]:.2f}, {len(ratios)} rounds)")
PY
done
