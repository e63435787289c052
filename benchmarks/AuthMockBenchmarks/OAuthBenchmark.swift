import AuthMockFormats
import ConfluenceAuthMock
import Foundation
import Synchronization

/// Authorization-code exchanges per second over loopback: GET /authorize (approve), then
/// POST /oauth/token, from several client threads at once, each on one keep-alive connection
/// as an HTTP client library would use.
enum OAuthBenchmark {
    static func run(seconds: Double, threads: Int) {
        let mock = try! MockConfluence.start() as MockConfluence
        defer { mock.stop() }
        let port = Int(mock.baseURL.split(separator: ":").last!)!
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let counter = Counter()
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let connection = connect(port)
            defer { close(connection) }
            while DispatchTime.now().uptimeNanoseconds < deadline {
                let location = header("Location", of: exchange(connection, "GET /authorize?audience=api.atlassian.com&client_id=acme-sync-client&scope=read%3Apage%3Aconfluence&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback&state=s&response_type=code HTTP/1.1\r\nHost: x\r\n\r\n"))
                let code = location?.split(separator: "code=").last?.split(separator: "&").first.map(String.init) ?? ""
                let body = "grant_type=authorization_code&client_id=acme-sync-client&client_secret=acme-sync-secret&code=\(code)&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback"
                let answer = exchange(connection, "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                if answer.hasPrefix("HTTP/1.1 200") { counter.value.add(1, ordering: .relaxed) }
            }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let total = counter.value.load(ordering: .relaxed)
        print("authorization-code exchanges per second (\(threads) client threads)\t\(Int(Double(total) / elapsed))\tgoal >= 1500")
    }

    static func connect(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    /// One request on a keep-alive connection; the answer's head and body (read by Content-Length).
    static func exchange(_ fd: Int32, _ request: String) -> String {
        _ = Array(request.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
            let text = String(decoding: received, as: UTF8.self)
            if let end = text.range(of: "\r\n\r\n") {
                let length = header("Content-Length", of: text).flatMap(Int.init) ?? 0
                if text.utf8.count - text[..<end.upperBound].utf8.count >= length { return text }
            }
        }
        return String(decoding: received, as: UTF8.self)
    }

    static func header(_ name: String, of response: String) -> String? {
        response.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
            .map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
    }
}

final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
