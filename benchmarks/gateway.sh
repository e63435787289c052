#!/usr/bin/env bash
# The full gateway route next to nginx, and next to the code of an earlier commit, in the same run:
# GET /ex/confluence/{cloudId}/wiki/api/v2/pages/1001 with basic auth and with a 3LO Bearer token
# (pipeline, credential check, scope gate, handler, journal), 32 connections, wrk on loopback.
# Usage: benchmarks/gateway.sh [SECONDS] [BASELINE-REV] (default 20 s: four interleaved 5-second
# rounds; no baseline unless a revision is given). The baseline is built from a scratch checkout in
# .build/baseline-REV. Needs wrk and nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
baseline_rev=${2:-}
source benchmarks/lib.sh
current_bin=$(build_release)

servers=(current)
if [ -n "$baseline_rev" ]; then
  baseline_bin=$(build_release "$(baseline_checkout "$baseline_rev")")
  servers+=(baseline)
fi

start_gateway_mock current "$current_bin"
[ -n "$baseline_rev" ] && start_gateway_mock baseline "$baseline_bin"
path=$gateway_path
for name in "${servers[@]}"; do
  port_var="port_$name" token_var="token_$name"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "$basic_header" "http://127.0.0.1:${!port_var}$path")" = 200 ]
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${!token_var}" "http://127.0.0.1:${!port_var}$path")" = 200 ]
done

nginx_port=$(free_port)
start_nginx "$nginx_port" '{"id":"1001","title":"Runbook"}'
# Interleaved rounds: this 2-core machine's speed drifts between runs, so each round measures every
# server back to back, the order reversed every other round, and ratios are taken per round.
round_seconds=${round_seconds:-5}
rounds=$(( seconds / round_seconds > 0 ? seconds / round_seconds : 1 ))
declare -A ratios
for round in $(seq "$rounds"); do
  runs=(nginx)
  for name in "${servers[@]}"; do runs+=("$name:basic" "$name:bearer"); done
  (( round % 2 )) || mapfile -t runs < <(printf '%s\n' "${runs[@]}" | tac)
  declare -A rate=()
  for run in "${runs[@]}"; do
    if [ "$run" = nginx ]; then rate[nginx]=$(rps "http://127.0.0.1:$nginx_port/"); continue; fi
    name=${run%%:*} kind=${run#*:} port_var="port_${run%%:*}" token_var="token_${run%%:*}"
    header=$basic_header
    [ "$kind" = bearer ] && header="Authorization: Bearer ${!token_var}"
    rate[$run]=$(rps -H "$header" "http://127.0.0.1:${!port_var}$path")
  done
  line="round $round: nginx ${rate[nginx]} requests/s"
  for name in "${servers[@]}"; do
    for kind in basic bearer; do
      ratio_now=$(ratio "${rate[$name:$kind]}" "${rate[nginx]}")
      ratios[$name:$kind]="${ratios[$name:$kind]:-} $ratio_now"
      line+=", $name $kind ${rate[$name:$kind]} (${ratio_now}x)"
    done
  done
  echo "$line"
done
for name in "${servers[@]}"; do
  for kind in basic bearer; do
    # shellcheck disable=SC2086
    printf '%s, %s through the gateway, 32 connections: median %sx nginx over %d rounds (goal >= 0.50x)\n' \
      "$name" "$kind" "$(median ${ratios[$name:$kind]})" "$rounds"
  done
done
