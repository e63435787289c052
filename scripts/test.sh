#!/usr/bin/env bash
# Runs every test: the Swift suites (unit, live-socket, TLS, CLI and the interop checks that
# drive curl, openssl, PyJWT and atlassian-jwt), then the Python interop suite when it has tests.
# Needs libssl-dev, curl and the Python packages in Tests/Interop/requirements.txt (.ci/run
# installs them on a fresh machine).
set -euo pipefail
cd "$(dirname "$0")/.."

# The project builds without warnings; a clean build (as in CI) re-checks every file.
log=$(mktemp)
results=$(mktemp)
trap 'rm -f "$log" "$results"' EXIT
if ! swift build --build-tests >"$log" 2>&1; then
  cat "$log"
  exit 1
fi
if grep -E "warning:" "$log"; then
  echo "the build has warnings (above); fix them" >&2
  exit 1
fi
# swift test runs XCTest and Swift Testing one after the other, each with its own summary; the
# plain line at the end counts both, so a reader of the last line sees the whole run.
swift test 2>&1 | tee "$results"
testing=$(grep -oE 'Test run with [0-9]+ tests?' "$results" | grep -oE '[0-9]+' | tail -1)
xctest=$(grep -oE 'Executed [0-9]+ tests?' "$results" | grep -oE '[0-9]+' | tail -1)
swift_passed=$(( ${testing:-0} + ${xctest:-0} ))
echo "swift: $swift_passed passed, 0 failed"

python_passed=0
if compgen -G "Tests/Interop/test_*.py" > /dev/null; then
  python3 -m pytest -q Tests/Interop 2>&1 | tee "$results"
  python_passed=$(grep -oE '[0-9]+ passed' "$results" | tail -1 | grep -oE '[0-9]+' || echo 0)
fi
# One line for the whole run (Swift suites and the Python interop suite).
echo "all: $(( swift_passed + python_passed )) passed, 0 failed"
