#!/usr/bin/env bash
# Soak: the release server with benchmarks/soak-scenario.json under a mixed workload for MINUTES
# (basic auth, OAuth code flows with refresh rotation, Connect JWTs, Forge tokens, requests that hit
# faults, wire faults included, and journal reads) on CONNECTIONS keep-alive connections, driven by
# benchmarks/soak.py. Every request has a set of expected outcomes; the server's RSS, threads and
# open descriptors are sampled every 10 s into a CSV (SOAK_CSV=FILE, default .build/soak/rss-TIME.csv).
# Usage: benchmarks/soak.sh MINUTES [CONNECTIONS] (default 32; MINUTES may be a fraction).
# Goal: 0 unexpected errors, and over 20 minutes or more, RSS over the last 10 minutes within ±10 %
# of RSS at 10 minutes. Exits 1 on FAIL.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: benchmarks/soak.sh MINUTES [CONNECTIONS]" >&2; exit 2; }
minutes=$1 connections=${2:-32}
source benchmarks/lib.sh
trap 'exit 130' INT TERM  # through lib.sh's EXIT trap, which stops the server and the driver

bin=$(build_release)
csv=${SOAK_CSV:-.build/soak/rss-$(date -u +%Y%m%dT%H%M%SZ).csv}
mkdir -p "$(dirname "$csv")"
port=$(free_port)
"$bin" serve --port "$port" --scenario benchmarks/soak-scenario.json > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/__admin/health" >/dev/null && break; sleep 0.05; done
SERVER_PID=$server python3 benchmarks/soak.py "$port" "$minutes" "$connections" "$csv" &
status=0
wait $! || status=$?
if kill "$server" 2>/dev/null; then
  stopped=0
  wait "$server" || stopped=$?
  echo "server stopped on SIGTERM with status $stopped"
else
  echo "server was no longer running; its output:"
  cat "$work/serve.log"
  status=1
fi
exit "$status"
