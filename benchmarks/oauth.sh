#!/usr/bin/env bash
# OAuth figures next to their references in the same run: authorization-code exchanges per second
# (next to `openssl speed rsa2048`, which bounds them), and gateway requests with Bearer-token
# checks (next to nginx serving a static answer), both on loopback with wrk.
# Usage: benchmarks/oauth.sh [SECONDS] (default 10). Needs wrk and nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
source benchmarks/lib.sh
swift build -c release --product AuthMockBenchmarks >/dev/null
swift build -c release --product confluence-auth-mock >/dev/null
bin=$(swift build -c release --show-bin-path)

exchanges=$("$bin/AuthMockBenchmarks" oauth "$seconds")
echo "$exchanges"
signs() { openssl speed "$@" -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print int($6)}'; }
one_core=$(signs)
two_cores=$(signs -multi 2)
printf 'openssl speed rsa2048 sign/s: 1 core %d, 2 processes %d\n' "$one_core" "$two_cores"
printf 'exchanges per 2-core openssl signature: %sx (each exchange signs once; the client threads share the cores)\n' \
  "$(ratio "$(echo "$exchanges" | cut -f2)" "$two_cores")"

port=$(free_port)
"$bin/confluence-auth-mock" serve --port "$port" > /dev/null &
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/__admin/health" >/dev/null && break; sleep 0.05; done
token=$(curl -s -X POST -H 'Content-Type: application/json' \
  -d '{"user":"alice@acme.test","client":"acme-sync-client","scopes":["read:page:confluence"]}' \
  "http://127.0.0.1:$port/__admin/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
gateway="http://127.0.0.1:$port/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674/wiki/api/v2/pages/1001"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$gateway")" = 200 ]

nginx_port=$(free_port)
start_nginx "$nginx_port" '{"id":"1001","title":"Runbook"}'
round_seconds=$seconds  # lib.sh's rps runs wrk for this long
ours=$(rps -H "Authorization: Bearer $token" "$gateway")
theirs=$(rps "http://127.0.0.1:$nginx_port/")
printf 'gateway with Bearer check, 32 connections: %d requests/s; nginx %d; ratio %sx (goal >= 0.30x)\n' "$ours" "$theirs" "$(ratio "$ours" "$theirs")"
