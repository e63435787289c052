// Benchmarks for the mock's building blocks. Run through the scripts beside this folder
// (benchmarks/crypto.sh), which also measures the reference (openssl speed) in the same
// invocation and prints ratios. Never used by tests. The HTTP benchmark's server is HTTPBenchServer.

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "crypto":
    CryptoBenchmark.run(seconds: arguments.count > 1 ? Double(arguments[1]) ?? 2 : 2)
case "oauth":
    OAuthBenchmark.run(seconds: arguments.count > 1 ? Double(arguments[1]) ?? 5 : 5, threads: arguments.count > 2 ? Int(arguments[2]) ?? 4 : 4)
case "mock":
    MockBenchmark.run(rounds: arguments.count > 1 ? Int(arguments[1]) ?? 50 : 50)
default:
    print("usage: AuthMockBenchmarks crypto [SECONDS] | mock [ROUNDS] | oauth [SECONDS] [CLIENT-THREADS]")
}
