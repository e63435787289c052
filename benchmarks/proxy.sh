#!/usr/bin/env bash
# Gateway requests (Bearer, GET /ex/confluence/{cloudId}/wiki/api/v2/pages/1001) over keep-alive
# HTTPS through the proxy's CONNECT tunnel to api.atlassian.com, next to the same requests sent to
# the mock's own HTTPS listener, in interleaved rounds of the same run; then what the first tunnel
# to a host costs (its certificate is minted) next to later ones.
# Usage: benchmarks/proxy.sh [ROUND-SECONDS] [PROCESSES] (default 5 s, 4 client processes). The
# client is Python's http.client in both cases, so the ratio compares the server's two paths.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
processes=${2:-4}
source benchmarks/lib.sh
bin=$(build_release)
port=$(free_port) tls_port=$(free_port)
"$bin" serve --port "$port" --tls-port "$tls_port" --tls-cert certs/server.pem --tls-key certs/server-key.pem > /dev/null &
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/__admin/health" >/dev/null && break; sleep 0.05; done
token=$(curl -s -X POST -H 'Content-Type: application/json' \
  -d '{"user":"alice@acme.test","client":"acme-sync-client","scopes":["read:page:confluence"]}' \
  "http://127.0.0.1:$port/__admin/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
python3 benchmarks/proxy.py "$port" "$tls_port" certs/ca.pem "$token" "$seconds" "$processes"
