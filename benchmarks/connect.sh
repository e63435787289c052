#!/usr/bin/env bash
# Connect figures next to their reference in the same run: REST requests signed with a Connect JWT
# (decode, HMAC-SHA256 with the installation's secret, claims, qsh), against nginx serving a static
# answer, both on loopback with wrk; and the same request with basic auth, to show what the JWT work costs. The token is minted with `jwt connect` for the one URL wrk asks for.
# Usage: benchmarks/connect.sh [SECONDS] (default 10). Needs wrk and nginx.
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
rps() { wrk -t2 -c32 -d"${seconds}s" "$@" | awk '/Requests\/sec/ {print int($2)}'; }
ours=$(rps -H "Authorization: JWT $token" "$url")
basic=$(rps -H "Authorization: Basic $(printf 'alice@acme.test:alice-api-token' | base64)" "$url")
theirs=$(rps "http://127.0.0.1:$nginx_port/")
printf 'REST request with Connect JWT check, 32 connections: %d requests/s; nginx %d; ratio %.2fx (goal >= 0.30x)\n' "$ours" "$theirs" "$(echo "$ours / $theirs" | bc -l)"
printf 'the same request with basic auth (the mock without JWT work): %d requests/s; ratio %.2fx\n' "$basic" "$(echo "$basic / $theirs" | bc -l)"
