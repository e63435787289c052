#!/usr/bin/env bash
# Runs every test: the Swift suites (unit, live-socket, TLS, CLI and the interop checks that
# drive curl, openssl, PyJWT and atlassian-jwt), the example consumer package, then the Python
# interop suite when it has tests, a short fuzzing run of every fuzz target (scripts/fuzz.sh),
# then the container smoke test (scripts/container-smoke.sh).
# Needs what a script cannot install without root: a Swift 6 toolchain, pkg-config, libssl-dev,
# curl, openssl and python3 (with python3-venv when python3 lacks the interop packages), chromium
# and chromium-driver for the web console's browser tests (skipped without them, except in CI), and for
# the smoke test root, debootstrap, iproute2 and binutils; it checks them first and names every
# one missing. CONTAINER_SMOKE=skip skips the smoke test on a developer's machine, never in CI
# (CI set and not "false"), where the container must be proven. The Python packages in
# Tests/Interop/requirements.txt come from python3 when it has them all, else from a virtual
# environment it makes in .build/interop-venv, whose bin folder then leads PATH for the whole run.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=Tests/Interop/requirements.txt
venv=.build/interop-venv

# The module each requirement is imported as (a name's dashes become underscores unless listed).
modules=()
while IFS= read -r line; do
  name=$(printf '%s' "${line%%#*}" | sed -E 's/[[:space:]]//g; s/[<>=!~;[].*//' | tr '[:upper:]' '[:lower:]')
  [ -n "$name" ] || continue
  case "$name" in
    pyjwt) modules+=(jwt) ;;
    pyyaml) modules+=(yaml) ;;
    atlassian-python-api) modules+=(atlassian) ;;
    -e./clients/python) modules+=(confluence_auth_mock) ;;
    *) modules+=("${name//-/_}") ;;
  esac
done < "$requirements"

# Which of the modules $1 (a python) cannot import, space-separated; empty when it has them all.
lacking() {
  "$1" - "${modules[@]}" <<'EOF' 2>/dev/null || echo "${modules[*]}"
import importlib, sys
lacking = []
for module in sys.argv[1:]:
    try:
        importlib.import_module(module)
    except Exception:
        lacking.append(module)
print(" ".join(lacking))
EOF
}

# Prerequisites a script cannot install without root, all checked before any is reported.
missing=() packages=() notes=()
if ! command -v swift >/dev/null 2>&1; then
  missing+=(swift)
  notes+=("swift: a Swift 6 toolchain from https://www.swift.org/install/linux/, its usr/bin on PATH")
fi
if ! command -v pkg-config >/dev/null 2>&1; then
  missing+=(pkg-config) packages+=(pkg-config)
fi
if ! pkg-config --exists openssl 2>/dev/null && [ ! -f /usr/include/openssl/ssl.h ]; then
  missing+=(libssl-dev) packages+=(libssl-dev)
fi
for tool in curl openssl; do
  command -v "$tool" >/dev/null 2>&1 || { missing+=("$tool") packages+=("$tool"); }
done
use_venv=no
if ! command -v python3 >/dev/null 2>&1; then
  missing+=(python3) packages+=(python3 python3-venv)
else
  system_lacks=$(lacking python3)
fi
if [ -n "${system_lacks:-}" ]; then
  use_venv=yes
  # A venv made on an earlier run is reused; making one needs venv and ensurepip (python3-venv).
  if [ ! -x "$venv/bin/python3" ] && ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    missing+=(python3-venv) packages+=(python3-venv)
    notes+=("python3-venv: python3 lacks $system_lacks from $requirements, which this script installs into $venv (or install them into python3 yourself: python3 -m pip install -r $requirements)")
  fi
fi
# The web console's browser tests drive headless Chromium; without it they are skipped on a
# developer's machine, and in CI (CI set and not "false") the run refuses to start.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ -n "${CI:-}" ] && [ "${CI:-}" != false ]; then
    missing+=(chromium) packages+=(chromium chromium-driver)
  else
    echo "note: chromium or chromedriver is missing: the web console's browser tests (Tests/Interop/test_console.py) will be skipped" >&2
  fi
fi
# The container smoke test runs as a container engine would: as root, with namespaces and mounts.
smoke=run
if [ "${CONTAINER_SMOKE:-}" = skip ]; then
  if [ -n "${CI:-}" ] && [ "$CI" != false ]; then
    echo "scripts/test.sh: CONTAINER_SMOKE=skip is refused in CI (CI=$CI): the container smoke test must run there" >&2
    exit 1
  fi
  smoke=skipped
elif [ -n "${CONTAINER_SMOKE:-}" ]; then
  echo "scripts/test.sh: CONTAINER_SMOKE=$CONTAINER_SMOKE is not understood; the only value is skip" >&2
  exit 1
fi
if [ "$smoke" = run ]; then
  for tool in debootstrap:debootstrap ip:iproute2 readelf:binutils unshare:util-linux nsenter:util-linux; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || { missing+=("${tool%%:*}") packages+=("${tool#*:}"); }
  done
  skip_hint="or on a developer's machine set CONTAINER_SMOKE=skip to skip it (never in CI)"
  if [ "$(id -u)" != 0 ]; then
    missing+=(root)
    notes+=("root: the container smoke test (scripts/container-smoke.sh) needs root for debootstrap, chroot and mounts; run as root, $skip_hint")
  elif ! unshare --mount --net --pid --fork --kill-child sh -c 'mount -t proc proc /proc' >/dev/null 2>&1; then
    missing+=(mounts)
    notes+=("mounts: the container smoke test cannot make namespaces or mount /proc here (a container without CAP_SYS_ADMIN?); run where a container engine could, $skip_hint")
  fi
fi
if [ ${#missing[@]} -gt 0 ]; then
  {
    list=$(printf '%s, ' "${missing[@]}")
    echo "scripts/test.sh cannot run: missing ${list%, }. Provide them, then run it again:"
    if [ ${#packages[@]} -gt 0 ]; then echo "  sudo apt-get install -y $(printf '%s\n' "${packages[@]}" | sort -u | tr '\n' ' ')   (Debian/Ubuntu)"; fi
    for note in ${notes[@]+"${notes[@]}"}; do echo "  $note"; done
  } >&2
  exit 1
fi

if [ "$use_venv" = yes ]; then
  if [ ! -x "$venv/bin/python3" ]; then
    echo "python3 lacks $system_lacks: installing $requirements into $venv"
    python3 -m venv "$venv"
  fi
  if [ -n "$(lacking "$venv/bin/python3")" ]; then
    if ! "$venv/bin/python3" -m pip install -q --disable-pip-version-check -r "$requirements"; then
      echo "could not install $requirements into $venv (above); pip needs network access to PyPI" >&2
      exit 1
    fi
  fi
  still=$(lacking "$venv/bin/python3")
  if [ -n "$still" ]; then
    echo "$venv still lacks $still after installing $requirements" >&2
    exit 1
  fi
  # Every python3 from here on, the Swift tests' included, is the venv's.
  PATH="$PWD/$venv/bin:$PATH"
  export PATH
fi

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
# passed_in FILE: the tests both libraries' summaries in FILE count.
passed_in() {
  local testing xctest
  testing=$(grep -oE 'Test run with [0-9]+ tests?' "$1" | grep -oE '[0-9]+' | tail -1)
  xctest=$(grep -oE 'Executed [0-9]+ tests?' "$1" | grep -oE '[0-9]+' | tail -1)
  echo $(( ${testing:-0} + ${xctest:-0} ))
}
swift test 2>&1 | tee "$results"
swift_passed=$(passed_in "$results")
echo "swift: $swift_passed passed, 0 failed"

# The example consumer: a package of its own depending on this one by path, as a client's would,
# importing only the products. It builds without warnings and its tests pass, or the run fails.
consumer=Examples/ConsumerPackage
if ! (cd "$consumer" && swift build --build-tests) >"$log" 2>&1; then
  cat "$log"
  exit 1
fi
if grep -E "warning:" "$log"; then
  echo "$consumer's build has warnings (above); fix them" >&2
  exit 1
fi
(cd "$consumer" && swift test --skip-build) 2>&1 | tee "$results"
consumer_passed=$(passed_in "$results")
echo "consumer: $consumer_passed passed, 0 failed"

python_passed=0
if compgen -G "Tests/Interop/test_*.py" > /dev/null; then
  python3 -m pytest -q Tests/Interop 2>&1 | tee "$results"
  python_passed=$(grep -oE '[0-9]+ passed' "$results" | tail -1 | grep -oE '[0-9]+' || echo 0)
fi
# A short fuzzing run of every target (scripts/fuzz.sh); longer runs are in docs/reliability.md.
fuzz_seconds=${FUZZ_SECONDS:-10}
scripts/fuzz.sh all "$fuzz_seconds"

if [ "$smoke" = run ]; then
  scripts/container-smoke.sh
  smoke=passed
else
  echo "container smoke test skipped (CONTAINER_SMOKE=skip)"
fi
# One line for the whole run (Swift suites, the example consumer, the Python interop suite, the
# container smoke test).
echo "all: $(( swift_passed + consumer_passed + python_passed )) passed, 0 failed; fuzzing ${fuzz_seconds}s per target, 0 crashes; container smoke test $smoke"
