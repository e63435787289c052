#!/usr/bin/env bash
# OAuth figures next to their references in the same run: authorization-code exchanges per second
# (next to `openssl speed rsa2048`, which bounds them), and gateway requests with Bearer-token
# checks (next to nginx serving a static answer), both on loopback with wrk.
# Usage: benchmarks/oauth.sh [SECONDS] (default 10). Needs wrk and nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; rm -rf "$work"' EXIT
swift build -c release --product AuthMockBenchmarks >/dev/null
swift build -c release --product confluence-auth-mock >/dev/null
bin=$(swift build -c release --show-bin-path)

"$bin/AuthMockBenchmarks" oauth "$seconds"
openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {printf "openssl speed rsa2048 sign/s (1 core)\t%d\n", $6}'

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
"$bin/confluence-auth-mock" serve --port "$port" > /dev/null &
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/__admin/health" >/dev/null && break; sleep 0.05; done
token=$(curl -s -X POST -H 'Content-Type: application/json' \
  -d '{"user":"alice@acme.test","client":"acme-sync-client","scopes":["read:page:confluence"]}' \
  "http://127.0.0.1:$port/__admin/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
gateway="http://127.0.0.1:$port/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674/wiki/api/v2/pages/1001"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$gateway")" = 200 ]

nginx_port=$(free_port)
cat > "$work/nginx.conf" <<CONF
worker_processes auto; pid $work/nginx.pid; error_log $work/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
  server { listen 127.0.0.1:$nginx_port; location / { default_type application/json; return 200 '{"id":"1001","title":"Runbook"}'; } } }
CONF
nginx -c "$work/nginx.conf"
rps() { wrk -t2 -c32 -d"${seconds}s" "$@" | awk '/Requests\/sec/ {print int($2)}'; }
ours=$(rps -H "Authorization: Bearer $token" "$gateway")
theirs=$(rps "http://127.0.0.1:$nginx_port/")
printf 'gateway with Bearer check, 32 connections: %d requests/s; nginx %d; ratio %.2fx (goal >= 0.30x)\n' "$ours" "$theirs" "$(echo "$ours / $theirs" | bc -l)"
