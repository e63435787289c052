#!/usr/bin/env bash
# Runs every test: the Swift suites (unit, live-socket, TLS, CLI and the interop checks that
# drive curl, openssl, PyJWT and atlassian-jwt), then the Python interop suite when it has tests.
# Needs libssl-dev, curl and the Python packages in Tests/Interop/requirements.txt (.ci/run
# installs them on a fresh machine).
set -euo pipefail
cd "$(dirname "$0")/.."

# The project builds without warnings; a clean build (as in CI) re-checks every file.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! swift build --build-tests >"$log" 2>&1; then
  cat "$log"
  exit 1
fi
if grep -E "warning:" "$log"; then
  echo "the build has warnings (above); fix them" >&2
  exit 1
fi
swift test

if compgen -G "Tests/Interop/test_*.py" > /dev/null; then
  python3 -m pytest -q Tests/Interop
fi
