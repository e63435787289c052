#!/usr/bin/env bash
# Runs the Swift test suites under ThreadSanitizer or AddressSanitizer, built in a scratch folder of
# their own (.build/sanitize-KIND) so the normal build is left alone. Any report fails the run: the
# sanitizer stops the test process at the first one (halt_on_error) and the script exits non-zero.
# Usage: scripts/sanitize.sh thread|address [swift test arguments, e.g. --filter LifecycleTests]
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-}
case "$kind" in
  thread|address) shift ;;
  *) echo "usage: scripts/sanitize.sh thread|address [swift test arguments]" >&2; exit 2 ;;
esac
scratch=.build/sanitize-$kind
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
# Leak checking is off: the test runner and Foundation keep process-lifetime caches that
# LeakSanitizer would report; use-after-free, overflows and the like still stop the run.
export ASAN_OPTIONS="halt_on_error=1 detect_leaks=0 ${ASAN_OPTIONS:-}"
swift build --build-tests --sanitize="$kind" --scratch-path "$scratch"
swift test --skip-build --sanitize="$kind" --scratch-path "$scratch" "$@"
echo "sanitize.sh: the tests passed under the $kind sanitizer with no report"
