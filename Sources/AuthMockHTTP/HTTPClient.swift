#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an outbound request got back.
public struct HTTPClientResponse: Sendable, Equatable {
    public let status: Int
    public let headers: HTTPHeaders
    public let body: [UInt8]

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Why an outbound request got no answer (refused, timed out, not HTTP, a failed TLS handshake,
/// an unsupported URL).
public struct HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A small blocking HTTP/1.1 client for the calls the mock makes itself (Connect lifecycle hooks,
/// Forge invocations): one request per connection (`Connection: close`), `http://` or `https://`
/// (trusted as ``OutboundTLS`` says), bounded in time and size. Call it from a connection thread
/// or any thread that may block.
public enum HTTPClient {
    /// Answers larger than this are refused rather than buffered.
    public static let maximumResponseBytes = 4 * 1024 * 1024

    /// Sends one request and reads the whole answer (`Content-Length`, chunked, or until close).
    public static func send(method: String, url: String, headers: HTTPHeaders = [:], body: [UInt8] = [],
                            timeoutSeconds: Double = 10, tls: OutboundTLS = .system) throws(HTTPClientError) -> HTTPClientResponse {
        var reader = try request(method: method, url: url, headers: headers, body: body, timeoutSeconds: timeoutSeconds, tls: tls)
        defer { reader.stream.close() }
        return try reader.read()
    }

    /// Sends a GET and hands the body to `receive` as it arrives, until the server closes the
    /// connection or `receive` returns `false`: for a stream such as Server-Sent Events. A quiet
    /// stream is waited on however long it stays quiet. Throws unless the answer is a 2xx.
    public static func follow(url: String, headers: HTTPHeaders = [:], timeoutSeconds: Double = 10, tls: OutboundTLS = .system,
                              receive: ([UInt8]) -> Bool) throws(HTTPClientError) {
        var reader = try request(method: "GET", url: url, headers: headers, body: [], timeoutSeconds: timeoutSeconds, tls: tls)
        defer { reader.stream.close() }
        let (status, _, bodyStart) = try reader.head()
        guard (200..<300).contains(status) else { throw HTTPClientError("\(url) answered \(status)") }
        guard receive(Array(reader.buffer[bodyStart...])) else { return }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            switch chunk.withUnsafeMutableBytes({ reader.stream.read(into: $0) }) {
            case .bytes(let count): guard receive(Array(chunk[..<count])) else { return }
            case .closed: return
            case .timedOut: continue
            }
        }
    }

    /// Opens a connection, sends the request (`Connection: close`) and returns the reader of its
    /// answer; the caller closes `reader.stream`.
    private static func request(method: String, url: String, headers: HTTPHeaders, body: [UInt8], timeoutSeconds: Double,
                                tls: OutboundTLS) throws(HTTPClientError) -> HTTPResponseReader {
        // Called while serving a request (a lifecycle hook, a Forge remote), it must not hold up
        // an event loop's other connections.
        mayBlock()
        let target = try OutboundURL(url)
        let stream = try open(target, timeoutSeconds: timeoutSeconds, tls: tls)
        var head = "\(method) \(target.pathAndQuery) HTTP/1.1\r\nHost: \(target.hostHeader)\r\nConnection: close\r\n"
        for field in headers where !["host", "connection", "content-length"].contains(field.name.lowercased()) {
            head += "\(field.name): \(field.value)\r\n"
        }
        if !body.isEmpty || !["GET", "HEAD"].contains(method) { head += "Content-Length: \(body.count)\r\n" }
        guard stream.write(Array((head + "\r\n").utf8) + body) else {
            stream.close()
            throw HTTPClientError("cannot send the request to \(url): \(SocketError.last("send"))")
        }
        return HTTPResponseReader(stream: stream, url: url, isHead: method == "HEAD")
    }

    /// A connection to the URL's host: plain, or TLS after a verified handshake.
    private static func open(_ target: OutboundURL, timeoutSeconds: Double, tls: OutboundTLS) throws(HTTPClientError) -> any ByteStream {
        let fd = try connect(host: target.host, port: target.port, timeoutSeconds: timeoutSeconds)
        guard target.isSecure else { return PlainStream(fd: fd) }
        do {
            return try TLSClientContext.shared(for: tls).connect(fd: fd, host: target.host)
        } catch {
            closeDescriptor(fd)
            throw HTTPClientError("\(target.host):\(target.port): \(error.message)")
        }
    }

    /// Opens a TCP connection to the first address of `host` that accepts, with send and receive timeouts.
    private static func connect(host: String, port: Int, timeoutSeconds: Double) throws(HTTPClientError) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = socketStreamType
        hints.ai_flags = AI_NUMERICSERV
        var results: UnsafeMutablePointer<addrinfo>? = nil
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let first = results else {
            throw HTTPClientError("cannot resolve host \(host)")
        }
        defer { freeaddrinfo(results) }
        var failure = "no address"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate?.pointee {
            candidate = info.ai_next
            let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
            guard fd >= 0 else { continue }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            disableSigpipe(fd)
            // On Linux SO_SNDTIMEO also bounds a blocking connect.
            SocketOptions.setTimeout(fd, option: SO_SNDTIMEO, seconds: timeoutSeconds)
            SocketOptions.setTimeout(fd, option: SO_RCVTIMEO, seconds: timeoutSeconds)
            if systemConnect(fd, info.ai_addr, info.ai_addrlen) == 0 {
                SocketOptions.setNoDelay(fd)
                return fd
            }
            failure = SocketError.last("connect").description
            closeDescriptor(fd)
        }
        throw HTTPClientError("cannot connect to \(host):\(port): \(failure)")
    }
}

/// An `http[s]://host[:port]/path?query` URL split for a request.
struct OutboundURL {
    let isSecure: Bool
    let host: String
    let port: Int
    let pathAndQuery: String
    let hostHeader: String

    init(_ url: String) throws(HTTPClientError) {
        let scheme = url.prefix { $0 != ":" }.lowercased()
        guard scheme == "http" || scheme == "https", url.dropFirst(scheme.count).hasPrefix("://") else {
            throw HTTPClientError("\(url) is not an http:// or https:// URL")
        }
        isSecure = scheme == "https"
        let rest = url.dropFirst(scheme.count + 3)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        var path = String(rest.dropFirst(authority.count).prefix { $0 != "#" })
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        var host = Substring(authority)
        var port = isSecure ? 443 : 80
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw HTTPClientError("\(url): unterminated IPv6 address") }
            let after = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if after.hasPrefix(":") { port = Int(after.dropFirst()) ?? -1 } else if !after.isEmpty { port = -1 }
        } else if let colon = host.lastIndex(of: ":") {
            port = Int(host[host.index(after: colon)...]) ?? -1
            host = host[..<colon]
        }
        guard !host.isEmpty, (1...65535).contains(port) else { throw HTTPClientError("\(url): invalid host or port") }
        self.host = String(host)
        self.port = port
        pathAndQuery = path
        hostHeader = String(authority)
    }
}

/// Reads one HTTP/1.1 response from a connection until its framing says it is complete.
private struct HTTPResponseReader {
    let stream: any ByteStream
    let url: String
    let isHead: Bool
    var buffer: [UInt8] = []

    init(stream: any ByteStream, url: String, isHead: Bool) {
        self.stream = stream
        self.url = url
        self.isHead = isHead
    }

    /// Reads until the head is complete: the status, the fields and where the body starts in `buffer`.
    mutating func head() throws(HTTPClientError) -> (status: Int, headers: HTTPHeaders, bodyStart: Int) {
        while true {
            guard try receive() else { throw HTTPClientError("\(url) closed the connection without answering") }
            if let head = try parseHead() { return head }
        }
    }

    mutating func read() throws(HTTPClientError) -> HTTPClientResponse {
        let (status, headers, bodyStart) = try head()
        if isHead || status == 204 || status == 304 || (100..<200).contains(status) {
            return HTTPClientResponse(status: status, headers: headers, body: [])
        }
        if headers.tokens("Transfer-Encoding").last == "chunked" { return HTTPClientResponse(status: status, headers: headers, body: try chunked(from: bodyStart)) }
        if let lengthText = headers["Content-Length"] {
            guard let length = Int(trimOWS(Substring(lengthText))), length >= 0, length <= HTTPClient.maximumResponseBytes else {
                throw HTTPClientError("\(url) answered an invalid Content-Length \(lengthText)")
            }
            while buffer.count - bodyStart < length {
                guard try receive() else { throw HTTPClientError("\(url) closed the connection after \(buffer.count - bodyStart) of \(length) body bytes") }
            }
            return HTTPClientResponse(status: status, headers: headers, body: Array(buffer[bodyStart..<(bodyStart + length)]))
        }
        while try receive() {}
        return HTTPClientResponse(status: status, headers: headers, body: Array(buffer[bodyStart...]))
    }

    private mutating func chunked(from start: Int) throws(HTTPClientError) -> [UInt8] {
        var limits = HTTPLimits()
        limits.maxBodyBytes = HTTPClient.maximumResponseBytes
        var decoder = ChunkedDecoder(limits: limits)
        var position = start
        while true {
            do {
                position = try buffer.withUnsafeBufferPointer { bytes throws(HTTPParseError) in try decoder.consume(bytes, from: position) }
            } catch {
                throw HTTPClientError("\(url) answered a malformed chunked body: \(error)")
            }
            if decoder.isComplete { return decoder.body }
            guard try receive() else { throw HTTPClientError("\(url) closed the connection inside a chunked body") }
        }
    }

    /// Reads more bytes; `false` at the end of the stream.
    private mutating func receive() throws(HTTPClientError) -> Bool {
        guard buffer.count < HTTPClient.maximumResponseBytes + 64 * 1024 else {
            throw HTTPClientError("\(url) answered more than \(HTTPClient.maximumResponseBytes) bytes")
        }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        switch chunk.withUnsafeMutableBytes({ stream.read(into: $0) }) {
        case .bytes(let count):
            buffer.append(contentsOf: chunk[..<count])
            return true
        case .closed:
            return false
        case .timedOut:
            throw HTTPClientError("\(url) did not answer in time")
        }
    }

    /// The status, the header fields and where the body starts, once the head is complete (`nil`
    /// until then). Lines are found by the server's `LineScanner` and fields read by
    /// `HTTPHeadParser.parseField`, so an app's answer is held to the same RFC 9112 rules as a request.
    private func parseHead() throws(HTTPClientError) -> (status: Int, headers: HTTPHeaders, bodyStart: Int)? {
        let url = self.url
        return try buffer.withUnsafeBufferPointer { bytes throws(HTTPClientError) in
            var lines = LineScanner(bytes: bytes)
            var status: Int? = nil
            var headers = HTTPHeaders()
            while true {
                let line: Range<Int>
                switch lines.next(limit: HTTPClient.maximumResponseBytes) {
                case .line(let range): line = range
                case .needMore: return nil
                case .tooLong, .bareCR: throw HTTPClientError("\(url) answered a malformed header line")
                }
                guard let known = status else {
                    status = try Self.status(String(decoding: UnsafeBufferPointer(rebasing: bytes[line]), as: UTF8.self), url: url)
                    continue
                }
                if line.isEmpty { return (known, headers, lines.position) }
                do {
                    let field = try HTTPHeadParser.parseField(bytes, line)
                    headers.add(field.name, field.value)
                } catch {
                    throw HTTPClientError("\(url) answered a malformed header line")
                }
            }
        }
    }

    /// The code of a status line `HTTP/1.x NNN reason`.
    private static func status(_ line: String, url: String) throws(HTTPClientError) -> Int {
        let parts = line.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...999).contains(status) else {
            throw HTTPClientError("\(url) did not answer HTTP: \(line.prefix(80))")
        }
        return status
    }
}

@inline(__always)
private func systemConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>?, _ length: socklen_t) -> Int32 {
    #if canImport(Glibc)
    Glibc.connect(fd, address, length)
    #else
    Darwin.connect(fd, address, length)
    #endif
}
