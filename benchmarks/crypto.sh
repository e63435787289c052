#!/usr/bin/env bash
# Token-operation throughput next to `openssl speed` measured in the same run on the same machine.
# Usage: benchmarks/crypto.sh [SECONDS-PER-FIGURE]   (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-2}
source benchmarks/lib.sh
swift build -c release --product AuthMockBenchmarks >/dev/null
bench=$(swift build -c release --show-bin-path)/AuthMockBenchmarks

ours=$("$bench" crypto "$seconds")
speed_rsa=$(openssl speed -seconds "$seconds" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print int($6), int($7)}')
rsa_sign=${speed_rsa% *}; rsa_verify=${speed_rsa#* }
# HMAC-SHA256 over 64-byte blocks: openssl prints kB/s per block size; ops/s = kB/s * 1000 / 64.
hmac=$(openssl speed -seconds "$seconds" -bytes 64 -hmac sha256 2>/dev/null | awk '/^hmac\(sha256\)/ {v=$NF; sub(/k$/,"",v); print int(v*1000/64)}')

printf '%-44s %12s %12s %8s\n' "operation (1 thread)" "ours ops/s" "openssl" "ratio"
while IFS=$'\t' read -r name rate; do
  ref=""
  case "$name" in
    "hmac-sha256 (64 B)") ref=$hmac ;;
    "rsa2048 sign (raw RS256)"|"RS256 JWT sign") ref=$rsa_sign ;;
    "rsa2048 verify (raw RS256)"|"RS256 JWT verify") ref=$rsa_verify ;;
  esac
  if [ -n "$ref" ] && [ "$ref" -gt 0 ]; then
    printf '%-44s %12s %12s %7sx\n' "$name" "$rate" "$ref" "$(ratio "$rate" "$ref")"
  else
    printf '%-44s %12s %12s %8s\n' "$name" "$rate" "-" "-"
  fi
done <<< "$ours"
echo "goal: RS256 JWT sign >= 0.70x openssl speed rsa2048 sign/s"
