#!/usr/bin/env bash
# Fuzzes one target of Tests/Fuzz/AuthMockFuzz with libFuzzer for SECONDS, or every target in turn
# (`all`), with AddressSanitizer. The build has libFuzzer's coverage instrumentation and its own
# scratch folder (.build/fuzz). Each target starts from its seed corpus in Tests/Fuzz/Corpus/TARGET
# and keeps what it finds in .build/fuzz-corpus/TARGET; a crash, leak or timeout stops the run,
# leaves the input in .build/fuzz-artifacts/ and fails the script. Save such an input into the seed
# corpus once it is fixed: the test suite replays every seed (FuzzCorpusTests).
# Usage: scripts/fuzz.sh TARGET|all SECONDS [libFuzzer options]
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-}
seconds=${2:-}
if [ -z "$target" ] || ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh TARGET|all SECONDS [libFuzzer options]" >&2
  exit 2
fi
shift 2
scratch=.build/fuzz
# lld: gold fails to link the instrumented build. LLVMFuzzerRunDriver comes with -sanitize=fuzzer;
# the coverage flags are libFuzzer's current ones (inline counters, PC table, comparisons).
swift build -c release --product AuthMockFuzz --scratch-path "$scratch" \
  -Xswiftc -sanitize=fuzzer -Xswiftc -sanitize=address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld \
  -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp >/dev/null
binary="$scratch/release/AuthMockFuzz"

targets=("$target")
[ "$target" = all ] && mapfile -t targets < <(ls Tests/Fuzz/Corpus)
for name in "${targets[@]}"; do
  [ -d "Tests/Fuzz/Corpus/$name" ] || { echo "scripts/fuzz.sh: no target $name (Tests/Fuzz/Corpus/$name is missing)" >&2; exit 2; }
  mkdir -p ".build/fuzz-corpus/$name" .build/fuzz-artifacts
  log=$(mktemp)
  if ! ASAN_OPTIONS="detect_leaks=1 ${ASAN_OPTIONS:-}" "$binary" "$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix=".build/fuzz-artifacts/$name-" -print_final_stats=1 "$@" \
       ".build/fuzz-corpus/$name" "Tests/Fuzz/Corpus/$name" >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "scripts/fuzz.sh: $name FAILED; the input is in .build/fuzz-artifacts/" >&2
    exit 1
  fi
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  took=$(sed -nE 's/^Done [0-9]+ runs in ([0-9]+) second.*/\1/p' "$log")
  corpus=$(find ".build/fuzz-corpus/$name" -type f | wc -l)
  echo "fuzz $name: $runs executions in ${took:-$seconds}s, 0 crashes; corpus $corpus inputs"
  rm -f "$log"
done
