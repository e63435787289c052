#!/usr/bin/env bash
# Connect figures next to their reference in the same run: REST requests signed with a Connect JWT
# (decode, HMAC-SHA256 with the installation's secret, claims, qsh), against nginx serving a static
# answer, both on loopback with wrk; and the same request with basic auth, to show what the JWT work costs. The token is minted with `jwt connect` for the one URL wrk asks for.
# Usage: benchmarks/connect.sh [SECONDS] (default 10: two interleaved 5-second rounds). Needs wrk and nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
source benchmarks/lib.sh
swift build -c release --product confluence-auth-mock >/dev/null
bin=$(swift build -c release --show-bin-path)

port=$(free_port)
"$bin/confluence-auth-mock" serve --port "$port" > /dev/null &
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/__admin/health" >/dev/null && break; sleep 0.05; done
url="http://127.0.0.1:$port/site/acme/wiki/api/v2/pages/1001?body-format=storage"
token=$("$bin/confluence-auth-mock" jwt connect --shared-secret a-shared-secret-of-32-bytes-min! --issuer com.example.addon \
        --method GET --url "$url" --base-url "http://127.0.0.1:$port/site/acme/wiki" --ttl 3600)
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: JWT $token" "$url")" = 200 ]

nginx_port=$(free_port)
start_nginx "$nginx_port" '{"id":"1001","title":"Runbook"}'
# Interleaved rounds: this 2-core machine's speed drifts by a fifth between runs (other tenants),
# so each round measures the mock and nginx back to back, in alternating order, and the ratio is
# taken per round. round_seconds=N in the environment changes the round length (default 5).
round_seconds=${round_seconds:-5}
rounds=$(( seconds / round_seconds > 0 ? seconds / round_seconds : 1 ))
connect_ratios=() basic_ratios=()
for round in $(seq "$rounds"); do
  if (( round % 2 )); then
    ours=$(rps -H "Authorization: JWT $token" "$url"); basic=$(rps -H "$basic_header" "$url"); theirs=$(rps "http://127.0.0.1:$nginx_port/")
  else
    theirs=$(rps "http://127.0.0.1:$nginx_port/"); basic=$(rps -H "$basic_header" "$url"); ours=$(rps -H "Authorization: JWT $token" "$url")
  fi
  connect_ratios+=("$(ratio "$ours" "$theirs")") basic_ratios+=("$(ratio "$basic" "$theirs")")
  printf 'round %d: Connect JWT %d requests/s, basic auth %d, nginx %d: %sx and %sx\n' "$round" "$ours" "$basic" "$theirs" \
    "${connect_ratios[-1]}" "${basic_ratios[-1]}"
done
printf 'REST request with Connect JWT check, 32 connections: median %sx nginx over %d rounds (goal >= 0.30x)\n' "$(median "${connect_ratios[@]}")" "$rounds"
printf 'the same request with basic auth (the mock without JWT work): median %sx\n' "$(median "${basic_ratios[@]}")"
