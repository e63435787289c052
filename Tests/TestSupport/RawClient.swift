import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bare TCP client for sending exactly the bytes a test wants (malformed requests, partial
/// heads, aborted reads) and reading exactly what comes back.
public final class RawClient {
    public let fd: Int32

    /// Connects to `host` (IPv4 or IPv6 literal) on `port`.
    public init(port: Int, host: String = "127.0.0.1") throws {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &info) == 0, let address = info else { throw RawClientError("bad address \(host)") }
        defer { freeaddrinfo(info) }
        fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0, connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
            throw RawClientError("connect to \(host):\(port) failed: errno \(errno)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { Glibc.close(fd) }

    /// Sends bytes, ignoring a peer that already closed.
    public func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    public func send(_ text: String) { send(Array(text.utf8)) }

    /// Reads until the peer closes or `timeout` seconds pass with nothing new.
    public func readUntilClose(timeout: Double = 5) -> (bytes: [UInt8], closed: Bool) {
        var received: [UInt8] = []
        while true {
            switch readSome(timeout: timeout) {
            case .data(let chunk): received += chunk
            case .closed: return (received, true)
            case .timedOut: return (received, false)
            }
        }
    }

    /// Reads one response (head, then a body of its Content-Length).
    public func readResponse(timeout: Double = 5) throws -> RawResponse {
        var received: [UInt8] = []
        while true {
            if let response = RawResponse.parse(received) { return response }
            switch readSome(timeout: timeout) {
            case .data(let chunk): received += chunk
            case .closed, .timedOut:
                if let response = RawResponse.parse(received, allowShortBody: true) { return response }
                throw RawClientError("no complete response; got \(received.count) bytes: \(String(decoding: received.prefix(200), as: UTF8.self))")
            }
        }
    }

    public enum ReadOutcome { case data([UInt8]), closed, timedOut }

    public func readSome(timeout: Double, maxBytes: Int = 65536) -> ReadOutcome {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { return .timedOut }
        var chunk = [UInt8](repeating: 0, count: maxBytes)
        let count = recv(fd, &chunk, chunk.count, 0)
        return count > 0 ? .data(Array(chunk[0..<count])) : .closed
    }

    /// Closes with a TCP RST (linger 0), as a crashing client would.
    public func abort() {
        var value = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size))
        shutdown(fd, Int32(SHUT_RDWR))
    }
}

/// A response as read off the wire.
public struct RawResponse {
    public let status: Int
    public let headers: [(String, String)]
    public let body: [UInt8]
    public let headText: String

    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public static func parse(_ bytes: [UInt8], allowShortBody: Bool = false) -> RawResponse? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let head = String(text[..<end.lowerBound])
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let headLength = head.utf8.count + 4
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        let available = bytes.count - headLength
        guard available >= length || allowShortBody else { return nil }
        return RawResponse(status: status, headers: headers, body: Array(bytes[headLength..<(headLength + min(length, available))]), headText: head)
    }
}

public struct RawClientError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
