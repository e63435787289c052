import AuthMockHTTP
import Foundation

/// Serves a fixed 62-byte JSON answer for wrk, the same bytes benchmarks/http.sh has nginx serve.
enum HTTPServerBenchmark {
    static let body = Array(#"{"status":"ok","service":"confluence-auth-mock","bench":true}"#.utf8)

    static func serve(arguments: [String]) {
        var configuration = HTTPServerConfiguration(port: 0)
        var index = 0
        while index + 1 < arguments.count {
            if arguments[index] == "--port", let port = Int(arguments[index + 1]) { configuration.port = port }
            index += 2
        }
        let answer = HTTPResponse(headers: ["Content-Type": "application/json"], body: body)
        let server = HTTPServer(configuration: configuration, handler: ClosureHandler { _ in answer })
        do {
            try server.start()
        } catch {
            FileHandle.standardError.write(Data("cannot start: \(error)\n".utf8))
            exit(1)
        }
        FileHandle.standardOutput.write(Data("listening on \(server.port)\n".utf8))
        while true { sleep(3600) }
    }
}
