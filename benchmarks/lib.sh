# Shared by the benchmark scripts: a scratch folder cleaned on exit, free loopback ports, and
# nginx serving a fixed JSON answer as the reference server. Source it after `set -euo pipefail`.

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; rm -rf "$work"' EXIT

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_nginx PORT BODY: nginx (worker_processes auto, no access log) answering BODY as JSON on 127.0.0.1:PORT.
start_nginx() {
  cat > "$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
  server { listen 127.0.0.1:$1; location / { default_type application/json; return 200 '$2'; } }
}
CONF
  nginx -c "$work/nginx.conf"
}

# rps ARGS...: wrk -t2 -c32 for $round_seconds (default 2) against ARGS; prints whole requests/s.
rps() { wrk -t2 -c32 -d"${round_seconds:-2}s" "$@" | awk '/Requests\/sec/ {print int($2)}'; }

# ratio A B: A / B to two decimals.
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

# median N...: the median of whole numbers or decimals.
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# build_release [CHECKOUT]: builds the release binary in CHECKOUT (default: here) and prints its path.
build_release() {
  (cd "${1:-.}" && swift build -c release --product confluence-auth-mock >/dev/null && echo "$(swift build -c release --show-bin-path)/confluence-auth-mock")
}

# baseline_checkout REV: a scratch checkout of REV in .build/baseline-SHA (made once); prints its path.
baseline_checkout() {
  local sha checkout
  sha=$(git rev-parse --short "$1")
  checkout=".build/baseline-$sha"
  [ -d "$checkout" ] || git worktree add --detach -f "$checkout" "$sha" >/dev/null 2>&1
  echo "$checkout"
}

# The full gateway route gateway.sh and throughput.sh measure, and alice's basic credentials (connect.sh too).
gateway_path=/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674/wiki/api/v2/pages/1001
basic_header="Authorization: Basic $(printf 'alice@acme.test:alice-api-token' | base64)"

# start_gateway_mock NAME BINARY: BINARY serving the bundled default scenario in the background;
# sets port_NAME and token_NAME (a 3LO access token for alice with read:page:confluence).
start_gateway_mock() {
  local port; port=$(free_port)
  "$2" serve --port "$port" > /dev/null &
  for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/__admin/health" >/dev/null && break; sleep 0.05; done
  printf -v "port_$1" '%s' "$port"
  printf -v "token_$1" '%s' "$(curl -s -X POST -H 'Content-Type: application/json' \
    -d '{"user":"alice@acme.test","client":"acme-sync-client","scopes":["read:page:confluence"]}' \
    "http://127.0.0.1:$port/__admin/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
}
