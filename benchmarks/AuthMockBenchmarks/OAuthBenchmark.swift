import AuthMockFormats
import ConfluenceAuthMock
import Foundation
import Synchronization

/// Authorization-code exchanges per second over loopback: GET /authorize (approve), then
/// POST /oauth/token, from several client threads at once, each on one keep-alive connection
/// as an HTTP client library would use.
///
/// The client works on bytes, not Foundation strings: it shares the machine's cores with the
/// server, and every cycle it spends parsing answers is one the server cannot spend signing.
/// (Parsing with `components(separatedBy:)` took 18% of the process and cost ~20% of the rate.)
enum OAuthBenchmark {
    static let redirect = "http%3A%2F%2F127.0.0.1%3A8765%2Fcallback"
    static let authorize = Array("GET /authorize?audience=api.atlassian.com&client_id=acme-sync-client&scope=read%3Apage%3Aconfluence&redirect_uri=\(redirect)&state=s&response_type=code HTTP/1.1\r\nHost: x\r\n\r\n".utf8)

    static func run(seconds: Double, threads: Int) {
        let mock = try! MockConfluence.start() as MockConfluence
        defer { mock.stop() }
        let port = Int(mock.baseURLString.split(separator: ":").last!)!
        warmUp(port)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let counter = Counter()
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let connection = connect(port)
            defer { close(connection) }
            while DispatchTime.now().uptimeNanoseconds < deadline {
                if authorizeAndExchange(connection).starts(with: "HTTP/1.1 200".utf8) { counter.value.add(1, ordering: .relaxed) }
            }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let total = counter.value.load(ordering: .relaxed)
        print("authorization-code exchanges per second (\(threads) client threads)\t\(Int(Double(total) / elapsed))\tgoal >= 1500")
    }

    /// One exchange before the clock starts: the token-signing key is generated on first use
    /// (an RSA key generation, tens to hundreds of milliseconds), which is not an exchange's cost.
    static func warmUp(_ port: Int) {
        let connection = connect(port)
        defer { close(connection) }
        let answer = authorizeAndExchange(connection)
        precondition(answer.starts(with: "HTTP/1.1 200".utf8), "the warm-up exchange failed: \(String(decoding: answer, as: UTF8.self))")
    }

    /// One authorization (approved at once), then the code's exchange; the token endpoint's answer.
    static func authorizeAndExchange(_ connection: Int32) -> [UInt8] {
        exchange(connection, tokenRequest(code: authorizationCode(in: exchange(connection, authorize))))
    }

    static func tokenRequest(code: String) -> [UInt8] {
        let body = "grant_type=authorization_code&client_id=acme-sync-client&client_secret=acme-sync-secret&code=\(code)&redirect_uri=\(redirect)"
        return Array("POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
    }

    /// The `code` query parameter of the answer's `Location` header ("" when there is none).
    static func authorizationCode(in answer: [UInt8]) -> String {
        guard let location = header("location", of: answer), let start = find(Array("code=".utf8), in: location) else { return "" }
        let value = location[(start + 5)...]
        return String(decoding: value.prefix { $0 != UInt8(ascii: "&") }, as: UTF8.self)
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
    static func exchange(_ fd: Int32, _ request: [UInt8]) -> [UInt8] {
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        received.reserveCapacity(4096)
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { return received }
            received += buffer[0..<count]
            if let headEnd = find(crlfcrlf, in: received[...]) {
                let length = header("content-length", of: received).flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
                if received.count - (headEnd + 4) >= length { return received }
            }
        }
    }

    static let crlfcrlf = Array("\r\n\r\n".utf8)
    static let crlf = Array("\r\n".utf8)

    /// The value of the first header named `lowercasedName` in the answer's head, trimmed.
    static func header(_ lowercasedName: String, of answer: [UInt8]) -> ArraySlice<UInt8>? {
        let name = Array(lowercasedName.utf8)
        let headEnd = find(crlfcrlf, in: answer[...]) ?? answer.count
        var lineStart = (find(crlf, in: answer[..<headEnd]) ?? headEnd) + 2
        while lineStart < headEnd {
            let lineEnd = find(crlf, in: answer[lineStart..<headEnd]) ?? headEnd
            let line = answer[lineStart..<lineEnd]
            if line.count > name.count, line[lineStart + name.count] == UInt8(ascii: ":"),
               zip(line, name).allSatisfy({ ($0 | 0x20) == $1 }) {
                return line[(lineStart + name.count + 1)...].drop { $0 == UInt8(ascii: " ") }
            }
            lineStart = lineEnd + 2
        }
        return nil
    }

    /// The index of the first occurrence of `needle` in `haystack`, in the haystack's indices.
    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
