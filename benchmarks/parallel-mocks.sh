#!/usr/bin/env bash
# Many tests, each with a mock of its own, in parallel, as a client package runs them: a package
# made here (as Examples/ConsumerPackage is) depends on this repository by path, and its one Swift
# Testing test has COUNT cases, each starting a mock with the default scenario, sending one
# basic-auth request with URLSession and expecting 200. The measure is the test process's wall
# time and peak RSS (the xctest binary run directly, debug build, as `swift test` would), in
# interleaved rounds next to the same package built against an earlier commit, given one.
# Usage: benchmarks/parallel-mocks.sh [ROUNDS] [BASELINE-REV] [COUNT] (defaults 5, none, 200). The
# baseline is checked out in .build/baseline-REV (as benchmarks/gateway.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
baseline_rev=${2:-}
count=${3:-200}
root=$PWD
work="$root/.build/parallel-mocks"
mkdir -p "$work"

# make_consumer NAME CHECKOUT: a package in $work/consumer-of-NAME depending on CHECKOUT; prints its test binary.
# The test uses only API that every revision has (withMockConfluence, baseURL in a string).
make_consumer() {
  local dir="$work/consumer-of-$1"  # not the checkout's folder name: a path package is known by it
  mkdir -p "$dir/Tests/ParallelTests"
  cat > "$dir/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "Parallel",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "confluence-auth-mock", path: "$2")],
    targets: [.testTarget(name: "ParallelTests", dependencies: [.product(name: "ConfluenceAuthMockTesting", package: "confluence-auth-mock")])],
    swiftLanguageModes: [.v6]
)
SWIFT
  cat > "$dir/Tests/ParallelTests/ParallelTests.swift" <<SWIFT
import ConfluenceAuthMockTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@Test(arguments: 0..<$count) func eachTestHasItsOwnMock(_ index: Int) async throws {
    try await withMockConfluence { mock throws in
        var request = URLRequest(url: URL(string: "\(mock.baseURL)/site/acme/wiki/rest/api/space")!)
        request.setValue("Basic " + Data("alice@acme.test:alice-api-token".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
    }
}
SWIFT
  if ! (cd "$dir" && swift build --build-tests >"$dir/build.log" 2>&1); then
    cat "$dir/build.log" >&2
    return 1
  fi
  echo "$dir/.build/debug/ParallelPackageTests.xctest"
}

names=(current)
binaries=("$(make_consumer current "$root")") || exit 1
if [ -n "$baseline_rev" ]; then
  sha=$(git rev-parse --short "$baseline_rev")
  checkout="$root/.build/baseline-$sha"
  [ -d "$checkout" ] || git worktree add --detach -f "$checkout" "$sha" >/dev/null 2>&1
  names+=("baseline-$sha")
  binaries+=("$(make_consumer "baseline-$sha" "$checkout")") || exit 1
fi

python3 - "$rounds" "$count" "${names[@]}" -- "${binaries[@]}" <<'PY'
import os, statistics, subprocess, sys, time
args = sys.argv[1:]
rounds, count = int(args[0]), int(args[1])
split = args.index("--")
names, binaries = args[2:split], args[split + 1:]

def run(binary):
    """Wall seconds and peak RSS (MiB) of one run of the test binary, which must pass."""
    start = time.perf_counter()
    process = subprocess.Popen([binary, "--testing-library", "swift-testing"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0 or f"Test run with 1 test" not in output or "passed" not in output.splitlines()[-1]:
        sys.exit(f"{binary} failed:\n{output[-2000:]}")
    return wall, usage.ru_maxrss / 1024

results = {name: [] for name in names}
for round_number in range(rounds):
    order = list(zip(names, binaries))
    if round_number % 2:
        order.reverse()  # the machine's speed drifts: alternate who goes first
    line = []
    for name, binary in order:
        wall, rss = run(binary)
        results[name].append((wall, rss))
        line.append(f"{name} {wall:.2f} s {rss:.0f} MiB")
    print(f"round {round_number + 1}: " + ", ".join(line))
for name in names:
    walls = [wall for wall, _ in results[name]]
    peaks = [rss for _, rss in results[name]]
    print(f"{name}: {count} parallel tests, a mock each: median {statistics.median(walls):.2f} s wall "
          f"(range {min(walls):.2f}-{max(walls):.2f}), peak RSS median {statistics.median(peaks):.0f} MiB "
          f"(range {min(peaks):.0f}-{max(peaks):.0f}) over {rounds} rounds")
PY
