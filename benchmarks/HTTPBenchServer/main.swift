// Serves a fixed 62-byte JSON answer for wrk: the same bytes benchmarks/http.sh has nginx serve.
// Like the shipping server it links no Foundation, so its memory figures are the real ones.
// Usage: HTTPBenchServer [--port N]
import AuthMockHTTP
#if canImport(Glibc)
import Glibc
#endif

let body = Array(#"{"status":"ok","service":"confluence-auth-mock","bench":true}"#.utf8)
var configuration = HTTPServerConfiguration(port: 0)
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.count == 2, arguments[0] == "--port", let port = Int(arguments[1]) { configuration.port = port }

let answer = HTTPResponse(headers: ["Content-Type": "application/json"], body: body)
let server = HTTPServer(configuration: configuration, handler: ClosureHandler { _ in answer })
do {
    try server.start()
} catch {
    print("cannot start: \(error)")
    exit(1)
}
// One unbuffered write, so the script sees the line at once even through a pipe.
let ready = Array("listening on \(server.port)\n".utf8)
_ = ready.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
while true { sleep(3600) }
