// Benchmarks for the mock's building blocks. Run through the scripts beside this folder
// (benchmarks/crypto.sh, benchmarks/http.sh), which also measure the reference (openssl speed,
// nginx) in the same invocation and print ratios. Never used by tests.

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "crypto":
    CryptoBenchmark.run(seconds: arguments.count > 1 ? Double(arguments[1]) ?? 2 : 2)
case "http-server":
    HTTPServerBenchmark.serve(arguments: Array(arguments.dropFirst()))
default:
    print("usage: AuthMockBenchmarks crypto [SECONDS] | http-server [--port N] [--tls-port N --tls-cert F --tls-key F]")
}
