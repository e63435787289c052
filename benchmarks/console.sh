#!/usr/bin/env bash
# The web console and the event stream under load, in one run:
#  1. How long each console page takes with a full journal (10,000 entries), next to the admin API's
#     health check and its JSON journal as the reference; 30 requests per page, median and slowest.
#  2. Requests per second on a site route with no event-stream reader and with readers that opened
#     GET /__admin/events and then stopped reading, interleaved rounds in the same run.
# Usage: benchmarks/console.sh [ROUND-SECONDS] (default 5; three rounds of each kind). Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
round_seconds=${1:-5}
source benchmarks/lib.sh
bin=$(build_release)
port=$(free_port)
"$bin" serve --port "$port" > /dev/null &
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -s "$base/__admin/health" >/dev/null && break; sleep 0.05; done

# A journal of 10,000 entries or more (the ring keeps the newest 10,000): allowed, refused and unrouted.
good="Authorization: Basic $(printf 'alice@acme.test:alice-api-token' | base64)"
bad="Authorization: Basic $(printf 'alice@acme.test:wrong' | base64)"
wrk -t1 -c4 -d1s -H "$good" "$base/site/acme/wiki/rest/api/space/ENG" > /dev/null
wrk -t1 -c4 -d1s -H "$bad" "$base/site/acme/wiki/api/v2/pages/1001" > /dev/null
wrk -t1 -c4 -d1s "$base/site/acme/wiki/nowhere" > /dev/null
entries=$(curl -s "$base/__admin/requests" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["requests"]))')
last=$(curl -s "$base/__admin/requests?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"][0]["id"])')
echo "journal: $entries entries (newest #$last)"

# time_page PATH: 30 requests; prints "median ms, slowest ms".
time_page() {
  local times=()
  for _ in $(seq 30); do times+=("$(curl -s -o /dev/null -w '%{time_total}' "$base$1")"); done
  local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  printf '%6.1f ms median, %6.1f ms slowest' "$(echo "$(median "${times[@]}") * 1000" | bc -l)" "$(echo "$(echo "$sorted" | tail -1) * 1000" | bc -l)"
}
printf '%-48s %s\n' "page" "time (curl, loopback)"
for page in /__admin/health "/__admin/requests?limit=200" /__admin/ui /__admin/ui/requests "/__admin/ui/requests?decision=denied&path=/site/*" \
            "/__admin/ui/requests/$last" "/__admin/ui/tokens?entry=$last" /__admin/ui/consents /__admin/ui/scopes /__admin/ui/faults; do
  printf '%-48s %s\n' "$page" "$(time_page "$page")"
done

# Readers that ask for the stream and never read it: the server's socket buffer and theirs fill,
# and the stream's writes block.
cat > "$work/stalled.py" <<'PY'
import socket, sys, time
readers = []
for _ in range(int(sys.argv[2])):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"GET /__admin/events HTTP/1.1\r\nHost: x\r\n\r\n")
    readers.append(s)
print("ready", flush=True)
time.sleep(3600)
PY
route="$base/site/acme/wiki/rest/api/space/ENG"
without=() with=()
for round in 1 2 3; do
  without+=("$(rps -H "$good" "$route")")
  python3 "$work/stalled.py" "$port" 4 > "$work/stalled.out" &
  reader=$!
  until grep -q ready "$work/stalled.out" 2>/dev/null; do sleep 0.05; done
  with+=("$(rps -H "$good" "$route")")
  kill "$reader"; wait "$reader" 2>/dev/null || true
done
echo "GET /site/acme/wiki/rest/api/space/ENG, basic auth, wrk -t2 -c32, ${round_seconds}-s rounds:"
echo "  no stream reader:          ${without[*]} requests/s (median $(median "${without[@]}"))"
echo "  4 stalled stream readers:  ${with[*]} requests/s (median $(median "${with[@]}"))"
echo "  ratio stalled / none:      $(ratio "$(median "${with[@]}")" "$(median "${without[@]}")")"
