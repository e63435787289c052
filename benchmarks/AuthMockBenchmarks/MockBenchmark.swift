import AuthMockFormats
import AuthMockHTTP
import ConfluenceAuthMock
import Foundation

/// Start-up and scenario-loading figures for the embedding API, each next to a reference measured
/// in the same run: the bare HTTP layer for start-up, and parsing the same JSON for loading.
enum MockBenchmark {
    static func run(rounds: Int) {
        let mockStart = median(rounds) { measureFirstResponse { try MockConfluence.start() as MockConfluence } stop: { $0.stop() } }
        let bareStart = median(rounds) {
            measureFirstResponse { () throws -> HTTPServer in
                let server = HTTPServer(configuration: HTTPServerConfiguration(), handler: ClosureHandler { _ in .json(["ok": true]) })
                try server.start()
                return server
            } stop: { $0.stop() }
        }
        print("in-process start to first response (ms)\t\(format(mockStart))\tbare HTTP layer\t\(format(bareStart))\tgoal <= 2")

        let json = bigScenario(users: 10_000)
        let parse = median(max(3, rounds / 5)) { time { _ = try! JSONValue.parse(json) } }
        let load = median(max(3, rounds / 5)) { time { _ = try! Scenario.load(json: json) } }
        print("10,000-user scenario load (ms)\t\(format(load))\tJSON parse alone\t\(format(parse))\tgoal <= 200")
    }

    /// Milliseconds from creating a server to reading its first response over loopback.
    static func measureFirstResponse<S>(_ start: () throws -> S, stop: (S) -> Void) -> Double {
        var server: S?
        let elapsed = time {
            server = try! start()
            let port = (server as? MockConfluence).map { Int($0.baseURLString.split(separator: ":").last!)! } ?? (server as! HTTPServer).port
            firstResponse(port: port)
        }
        stop(server!)
        return elapsed
    }

    static func firstResponse(port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        let request = Array("GET /__admin/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while recv(fd, &buffer, buffer.count, 0) > 0 {}
        close(fd)
    }

    /// A valid scenario with `users` users, each with tokens and permissions on both spaces.
    static func bigScenario(users: Int) -> String {
        var scenario = Scenario.bundledDefault
        scenario.users = (0..<users).map { index in
            Scenario.User(accountId: "user-\(index)", email: "user\(index)@acme.test", displayName: "User \(index)",
                 apiTokens: [Scenario.APIToken(token: "token-\(index)")], sites: ["acme": ["ENG": [.view, .edit], "HR": [.view]]])
        }
        scenario.oauthClients[0].consent.user = "user-0"
        return scenario.json.serialized
    }

    static func time(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    static func median(_ rounds: Int, _ measure: () -> Double) -> Double {
        let samples = (0..<max(1, rounds)).map { _ in measure() }.sorted()
        return samples[samples.count / 2]
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
