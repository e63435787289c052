#!/usr/bin/env bash
# Throughput, latency and memory of the HTTP layer next to nginx, measured in the same run.
# Both serve the same 62-byte JSON answer on loopback; wrk drives each with 1 and 32 keep-alive
# connections. Usage: benchmarks/http.sh [SECONDS-PER-RUN] (default 10). Needs wrk and nginx
# (apt-get install -y wrk nginx-light).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
source benchmarks/lib.sh

swift build -c release --product HTTPBenchServer >/dev/null
bench=$(swift build -c release --show-bin-path)/HTTPBenchServer
body='{"status":"ok","service":"confluence-auth-mock","bench":true}'

nginx_port=$(free_port)
start_nginx "$nginx_port" "$body"

"$bench" --port 0 > "$work/ours.out" &
ours_pid=$!
for _ in $(seq 100); do grep -q listening "$work/ours.out" 2>/dev/null && break; sleep 0.05; done
ours_port=$(awk '{print $3}' "$work/ours.out")
sleep 0.5

rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }
idle_rss=$(rss $ours_pid)

# run NAME PORT CONNECTIONS -> "requests/s p50(us) p99(us)"
run() {
  local threads=$(( $3 < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$3" -d"${seconds}s" --latency "http://127.0.0.1:$2/" > "$work/wrk-$1-$3.txt"
  awk '
    function us(v) { if (v ~ /us$/) return v+0; if (v ~ /ms$/) return (v+0)*1000; if (v ~ /s$/) return (v+0)*1000000; return v }
    /Requests\/sec/ {rps=$2} /^ +50%/ {p50=us($2)} /^ +99%/ {p99=us($2)}
    END {printf "%d %d %d\n", rps, p50, p99}' "$work/wrk-$1-$3.txt"
}

printf '%-28s %12s %10s %10s\n' "server, connections" "requests/s" "p50 (us)" "p99 (us)"
declare -A result
for connections in 1 32; do
  for name in nginx ours; do
    port=$nginx_port; [ "$name" = ours ] && port=$ours_port
    read -r rps p50 p99 < <(run "$name" "$port" "$connections")
    result[$name-$connections]="$rps $p50 $p99"
    printf '%-28s %12s %10s %10s\n' "$name, $connections" "$rps" "$p50" "$p99"
  done
done
loaded_rss=$(rss $ours_pid)

read -r n1 n1p50 _ <<< "${result[nginx-1]}"; read -r o1 o1p50 _ <<< "${result[ours-1]}"
read -r n32 _ _ <<< "${result[nginx-32]}"; read -r o32 _ _ <<< "${result[ours-32]}"
echo
printf 'ratio requests/s at 32 connections: %sx nginx   (goal >= 0.50x)\n' "$(ratio "$o32" "$n32")"
printf 'ratio requests/s at 1 connection:   %sx nginx\n' "$(ratio "$o1" "$n1")"
printf 'single-connection p50: %d us vs nginx %d us = %sx   (goal <= 2x)\n' "$o1p50" "$n1p50" "$(ratio "$o1p50" "$n1p50")"
printf 'our RSS: %d MiB idle, %d MiB after load   (goal <= 20 MiB, flat)\n' "$idle_rss" "$loaded_rss"
