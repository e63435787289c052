#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves requests on one connection until it closes. Runs on its own thread and owns its
/// stream and buffer; the only shared state it touches is its registry entry (for graceful stop).
final class HTTPConnection {
    private let stream: ByteStream
    private let handler: any HTTPHandler
    private let limits: HTTPLimits
    private let registry: ConnectionRegistry
    private let slot: ConnectionSlot
    private let isSecure: Bool
    private let remoteAddress: String
    private var buffer: [UInt8] = []
    private var readChunk = [UInt8](repeating: 0, count: 16 * 1024)
    private var encoder = HTTPResponseEncoder()
    private var receiveTimeout = -1.0

    init(stream: ByteStream, handler: any HTTPHandler, limits: HTTPLimits, registry: ConnectionRegistry,
         slot: ConnectionSlot, isSecure: Bool, remoteAddress: String) {
        self.stream = stream
        self.handler = handler
        self.limits = limits
        self.registry = registry
        self.slot = slot
        self.isSecure = isSecure
        self.remoteAddress = remoteAddress
        buffer.reserveCapacity(16 * 1024)
    }

    /// Serves until the client closes, an error ends the connection, or the server stops.
    func run() {
        var open = true
        while open {
            guard let (head, headLength) = readHead() else { break }
            open = serve(head, headLength: headLength)
        }
        registry.remove(slot) { stream.close() }
    }

    private enum Disposition { case keepOpen, close, closed }

    /// Reads the body, runs the handler and writes its answer. `false` when the connection ends.
    private func serve(_ head: HTTPRequestHead, headLength: Int) -> Bool {
        let request: HTTPRequest
        do {
            try Self.checkHost(head)
            let framing = try BodyFraming.of(head, limits: limits)
            let expectsContinue = try Self.expectsContinue(head, framing: framing)
            guard let (body, consumed) = try readBody(framing, headLength: headLength, sendContinue: expectsContinue) else { return false }
            buffer.removeSubrange(0..<consumed)
            request = try HTTPRequest(method: head.method, target: head.target, version: head.version, headers: head.headers,
                                      body: body, isSecure: isSecure, remoteAddress: remoteAddress)
        } catch {
            refuse(error)
            return false
        }
        let response = handler.respond(to: request)
        let keepAlive = wantsKeepAlive(head) && !registry.isStopping
        return write(response, keepAlive: keepAlive, version: head.version, includeBody: head.method != "HEAD")
    }

    // MARK: Reading

    /// Reads until a whole head is buffered. `nil` when the connection should close (after any
    /// error answer was sent). The parser runs only when a blank line may have arrived, or when
    /// the buffer has doubled, so a client dribbling bytes costs linear, not quadratic, work.
    private func readHead() -> (HTTPRequestHead, Int)? {
        var scannedUpTo = 0
        var forceParseAt = limits.maxRequestLineBytes
        var headStartedAt = buffer.isEmpty ? nil : Optional(monotonicSeconds())
        while true {
            if !buffer.isEmpty && (containsBlankLine(from: scannedUpTo) || buffer.count > forceParseAt) {
                switch buffer.withUnsafeBufferPointer({ HTTPHeadParser.parse($0, limits: limits) }) {
                case .complete(let head, let length): return (head, length)
                case .invalid(let error): refuse(error); return nil
                case .incomplete: forceParseAt = max(forceParseAt, buffer.count * 2)
                }
            }
            scannedUpTo = max(0, buffer.count - 3)
            let waitingForNewRequest = buffer.isEmpty
            let timeout = waitingForNewRequest ? limits.idleTimeout : limits.headerTimeout - (monotonicSeconds() - (headStartedAt ?? 0))
            if timeout <= 0 {
                refuse(HTTPParseError(.requestTimeout, "request head not received in time"))
                return nil
            }
            if waitingForNewRequest && !registry.enterIdle(slot) { return nil }
            let result = readMore(timeout: timeout)
            if waitingForNewRequest { registry.leaveIdle(slot) }
            switch result {
            case .bytes:
                if headStartedAt == nil { headStartedAt = monotonicSeconds() }
            case .closed:
                return nil
            case .timedOut:
                // An idle keep-alive connection is closed quietly; a half-sent head gets 408.
                if !waitingForNewRequest { refuse(HTTPParseError(.requestTimeout, "request head not received in time")) }
                return nil
            }
        }
    }

    /// `true` when `buffer[from...]` holds LF (CR) LF, the end of a head.
    private func containsBlankLine(from start: Int) -> Bool {
        // Over the buffer's memory: indexing the array property re-checks exclusivity and bounds
        // on every byte of every head.
        buffer.withUnsafeBufferPointer { bytes in
            var index = max(start, 0)
            while index + 1 < bytes.count {
                if bytes[index] == 0x0A {
                    if bytes[index + 1] == 0x0A { return true }
                    if bytes[index + 1] == 0x0D && index + 2 < bytes.count && bytes[index + 2] == 0x0A { return true }
                }
                index += 1
            }
            return false
        }
    }

    /// Reads the body after a head of `headLength` bytes. Returns the body and how many buffered
    /// bytes the whole request used, or `nil` when the client went away.
    private func readBody(_ framing: BodyFraming, headLength: Int, sendContinue: Bool) throws(HTTPParseError) -> ([UInt8], Int)? {
        if sendContinue && buffer.count == headLength {
            guard stream.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return nil }
        }
        switch framing {
        case .none:
            return ([], headLength)
        case .contentLength(let length):
            while buffer.count < headLength + length {
                guard try readBodyBytes() else { return nil }
            }
            return (Array(buffer[headLength..<(headLength + length)]), headLength + length)
        case .chunked:
            var decoder = ChunkedDecoder(limits: limits)
            var position = headLength
            while true {
                position = try buffer.withUnsafeBufferPointer { bytes throws(HTTPParseError) in try decoder.consume(bytes, from: position) }
                if decoder.isComplete { return (decoder.body, position) }
                guard try readBodyBytes() else { return nil }
            }
        }
    }

    /// One read for the body; a stall longer than `bodyTimeout` is answered 408.
    private func readBodyBytes() throws(HTTPParseError) -> Bool {
        switch readMore(timeout: limits.bodyTimeout) {
        case .bytes: return true
        case .closed: return false
        case .timedOut: throw HTTPParseError(.requestTimeout, "request body not received in time")
        }
    }

    private func readMore(timeout: Double) -> ReadResult {
        if timeout != receiveTimeout {
            SocketOptions.setTimeout(stream.fd, option: SO_RCVTIMEO, seconds: timeout)
            receiveTimeout = timeout
        }
        let result = readChunk.withUnsafeMutableBytes { stream.read(into: $0) }
        if case .bytes(let count) = result { buffer.append(contentsOf: readChunk[0..<count]) }
        return result
    }

    // MARK: Request rules

    /// RFC 9112 §3.2: an HTTP/1.1 request must carry exactly one Host field.
    private static func checkHost(_ head: HTTPRequestHead) throws(HTTPParseError) {
        let hosts = head.headers.count(of: "Host")
        if head.version == .http11 && hosts != 1 {
            throw HTTPParseError(.badRequest, hosts == 0 ? "missing Host header" : "more than one Host header")
        }
    }

    /// RFC 9110 §10.1.1: `100-continue` is the only expectation; any other is answered 417.
    private static func expectsContinue(_ head: HTTPRequestHead, framing: BodyFraming) throws(HTTPParseError) -> Bool {
        let expectations = head.headers.tokens("Expect")
        guard !expectations.isEmpty else { return false }
        guard expectations == ["100-continue"] else { throw HTTPParseError(.expectationFailed, "unsupported expectation") }
        return head.version == .http11 && framing != .none
    }

    /// HTTP/1.1 keeps the connection unless told `close`; HTTP/1.0 closes unless told `keep-alive`.
    private func wantsKeepAlive(_ head: HTTPRequestHead) -> Bool {
        let options = head.headers.tokens("Connection")
        return head.version == .http11 ? !options.contains("close") : options.contains("keep-alive")
    }

    // MARK: Writing

    /// Answers a request the server refused and ends the connection (framing is no longer trusted).
    private func refuse(_ error: HTTPParseError) {
        var response = HTTPResponse.text("\(error.status.code) \(error.status.reason): \(error.reason)\n", status: error.status)
        response.headers.set("Cache-Control", "no-store")
        _ = write(response, keepAlive: false, version: .http11, includeBody: true)
    }

    /// Writes the response, or the wire fault it carries. `false` when the connection must end.
    private func write(_ response: HTTPResponse, keepAlive: Bool, version: HTTPVersion, includeBody: Bool) -> Bool {
        sleepMilliseconds(response.delayMilliseconds)
        let (bytes, headLength) = encoder.encode(response, keepAlive: keepAlive, version: version, includeBody: includeBody)
        switch response.wireFault {
        case nil:
            return stream.write(bytes) && keepAlive
        case .reset:
            registry.remove(slot) { stream.abort() }
            return false
        case .close:
            return false
        case .garbage(let count):
            var generator = SystemRandomNumberGenerator()
            _ = stream.write((0..<max(count, 1)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            return false
        case .truncate:
            let bodyLength = bytes.count - headLength
            _ = stream.write(Array(bytes[0..<(headLength + bodyLength / 2)]))
            return false
        case .slow(let bytesPerSecond):
            return dribble(bytes, headLength: headLength, bytesPerSecond: bytesPerSecond) && keepAlive
        }
    }

    /// Sends the head at once, then the body in tenth-of-a-second slices at the given rate.
    private func dribble(_ bytes: [UInt8], headLength: Int, bytesPerSecond: Int) -> Bool {
        guard stream.write(Array(bytes[0..<headLength])) else { return false }
        let slice = max(1, bytesPerSecond / 10)
        let pause = max(1, 1000 * slice / max(bytesPerSecond, 1))
        var offset = headLength
        while offset < bytes.count {
            let end = min(offset + slice, bytes.count)
            guard stream.write(Array(bytes[offset..<end])) else { return false }
            offset = end
            if offset < bytes.count { sleepMilliseconds(pause) }
        }
        return true
    }
}
