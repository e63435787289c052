import AuthMockFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves requests on one connection until it closes. One thread at a time owns it and its stream
/// and buffer: an event loop's thread (ConnectionLoop.swift) while it waits or is served there, or
/// a thread of its own once something had to wait (HTTPConnection+Loop.swift). The only shared
/// state it touches is its registry entry (for graceful stop).
final class HTTPConnection {
    /// The connection's byte stream: TLS from a `CONNECT` tunnel on (HTTPConnection+Tunnel.swift).
    var stream: ByteStream
    private let handler: any HTTPHandler
    let limits: HTTPLimits
    let registry: ConnectionRegistry
    let slot: ConnectionSlot
    var isSecure: Bool
    private let remoteAddress: String
    var buffer: [UInt8] = []
    private var readChunk: [UInt8] = []
    private var encoder = HTTPResponseEncoder()
    var receiveTimeout = -1.0
    /// The event loop the connection waits on between requests (`nil`: it keeps its own thread).
    var loop: ConnectionLoop?
    /// Whether the loop's thread is serving it now; that thread must never wait (``mayBlock()``).
    var onLoop = false
    /// When its wait on the loop ends: the idle deadline, or the header deadline of a partial head.
    var loopDeadline = 0.0
    /// While served on the loop: the loop's receive buffer, and whether this turn's one read is due.
    var loopScratch: UnsafeMutableRawBufferPointer?
    var loopReadPending = false
    /// The certificates a `CONNECT` tunnel presents, and the host this connection tunnels to once
    /// it does.
    let tunnels: TunnelCertificates?
    var tunnelHost: String?
    /// Where the head parser may resume: the blank-line scan and the size that forces a parse.
    private var scannedUpTo = 0
    private var forceParseAt: Int
    /// When the first byte of the head in progress arrived (for `headerTimeout`), and when the
    /// wait for the next request began (for `idleTimeout`).
    private var headStartedAt: Double?
    var waitingSince: Double?

    init(stream: ByteStream, handler: any HTTPHandler, limits: HTTPLimits, registry: ConnectionRegistry,
         slot: ConnectionSlot, isSecure: Bool, remoteAddress: String, loop: ConnectionLoop? = nil, tunnels: TunnelCertificates? = nil) {
        self.stream = stream
        self.handler = handler
        self.limits = limits
        self.registry = registry
        self.slot = slot
        self.isSecure = isSecure
        self.remoteAddress = remoteAddress
        self.loop = loop
        self.tunnels = tunnels
        forceParseAt = limits.maxRequestLineBytes
    }

    /// Serves on the calling thread until the client closes, an error ends the connection, or the
    /// server stops, or until it goes back to its loop: then the thread is free.
    func run() {
        if buffer.capacity < 16 * 1024 { buffer.reserveCapacity(16 * 1024) }
        while true {
            switch readHead() {
            case .head(let head, let length):
                guard serve(head, headLength: length) else { return close() }
            case .close:
                return close()
            case .parked:
                return
            }
        }
    }

    /// Unregisters and closes the connection (a second call does nothing).
    func close() { registry.remove(slot) { stream.close() } }

    /// Goes on, on a thread started for it, when its loop could not hold it.
    func resume() {
        registry.leaveIdle(slot)
        run()
    }

    /// Reads the body, runs the handler and writes its answer. `false` when the connection ends.
    func serve(_ head: HTTPRequestHead, headLength: Int) -> Bool {
        let request: HTTPRequest
        do {
            try head.checkHost()
            let framing = try BodyFraming.of(head, limits: limits)
            let expectsContinue = try head.expectsContinue(framing: framing)
            guard let (body, consumed) = try readBody(framing, headLength: headLength, sendContinue: expectsContinue) else { return false }
            buffer.removeSubrange(0..<consumed)
            var parsed = try HTTPRequest(method: head.method, target: head.target, version: head.version, headers: head.headers,
                                         body: body, isSecure: isSecure, remoteAddress: remoteAddress)
            if let tunnelHost { parsed.addressedHost = tunnelHost }
            request = parsed
        } catch {
            refuse(error)
            return false
        }
        let response = handler.respond(to: request)
        if let host = response.tunnel, (200..<300).contains(response.status.code) { return openTunnel(to: host) }
        let keepAlive = head.wantsKeepAlive && !registry.isStopping
        return write(response, keepAlive: keepAlive, version: head.version, includeBody: head.method != "HEAD")
    }

    // MARK: Reading

    enum HeadRead {
        case head(HTTPRequestHead, length: Int)
        /// The connection is to close (after any error answer was sent).
        case close
        /// It waits on its loop, without this thread.
        case parked
    }

    /// Reads until a whole head is buffered, within `idleTimeout` of the wait for a request and
    /// `headerTimeout` of the head's first byte. On the loop's thread it reads only what is there;
    /// on its own thread a wait longer than the parking delay sends it back to the loop.
    func readHead() -> HeadRead {
        let entered = monotonicSeconds()
        if buffer.isEmpty { waitingSince = waitingSince ?? entered } else if headStartedAt == nil { headStartedAt = entered }
        while true {
            if let parsed = parseBufferedHead() { return parsed }
            let waitingForNewRequest = buffer.isEmpty
            let deadline = waitingForNewRequest ? (waitingSince ?? entered) + limits.idleTimeout : (headStartedAt ?? entered) + limits.headerTimeout
            let remaining = deadline - monotonicSeconds()
            guard remaining > 0 else { return timedOut(waitingForNewRequest) }
            if waitingForNewRequest && !registry.enterIdle(slot) { return .close }
            let awaited = onLoop ? readOnLoop(until: deadline) : awaitHeadBytes(until: deadline, remaining: remaining)
            if awaited == .parked { return .parked }
            if waitingForNewRequest { registry.leaveIdle(slot) }
            switch awaited {
            case .bytes:
                waitingSince = nil
                if headStartedAt == nil { headStartedAt = monotonicSeconds() }
            case .closed:
                return .close
            case .expired:
                return timedOut(waitingForNewRequest)
            case .nothingYet, .parked:
                break
            }
        }
    }

    /// What a wait for more bytes of a head came to.
    enum Awaited {
        case bytes, closed, expired, nothingYet
        /// The connection waits on its loop, without this thread.
        case parked
    }

    /// On the connection's own thread: waits up to the parking delay, then goes back to the loop.
    private func awaitHeadBytes(until deadline: Double, remaining: Double) -> Awaited {
        let wait = loop.map { min(remaining, $0.parkAfter) } ?? remaining
        switch readMore(timeout: wait) {
        case .bytes: return .bytes
        case .closed: return .closed
        case .timedOut:
            if wait >= remaining { return .expired }
            if let loop, parkWithBuffersReleased(in: loop, until: deadline) { return .parked }
            return .nothingYet
        }
    }

    /// The 408 for a head not complete within `headerTimeout`, whether its own thread or its loop
    /// noticed.
    private static let headTimedOut = HTTPParseError(.requestTimeout, "request head not received in time")

    /// An idle keep-alive connection is closed quietly; a half-sent head gets 408.
    private func timedOut(_ waitingForNewRequest: Bool) -> HeadRead {
        if !waitingForNewRequest { refuse(Self.headTimedOut) }
        return .close
    }

    /// Parses the buffered head when it may be whole. The parser runs only when a blank line may
    /// have arrived, or when the buffer has doubled, so a client dribbling bytes costs linear, not
    /// quadratic, work. `nil` while more bytes are needed.
    private func parseBufferedHead() -> HeadRead? {
        guard !buffer.isEmpty && (containsBlankLine(from: scannedUpTo) || buffer.count > forceParseAt) else {
            scannedUpTo = max(0, buffer.count - 3)
            return nil
        }
        switch buffer.withUnsafeBufferPointer({ HTTPHeadParser.parse($0, limits: limits) }) {
        case .complete(let head, let length):
            scannedUpTo = 0
            forceParseAt = limits.maxRequestLineBytes
            headStartedAt = nil
            waitingSince = nil
            return .head(head, length: length)
        case .invalid(let error):
            refuse(error)
            return .close
        case .incomplete:
            forceParseAt = max(forceParseAt, buffer.count * 2)
            scannedUpTo = max(0, buffer.count - 3)
            return nil
        }
    }

    /// Sends the connection back to its loop, first giving back the memory a busy connection keeps
    /// for speed, so a waiting one costs little more than its unread bytes.
    private func parkWithBuffersReleased(in loop: ConnectionLoop, until deadline: Double) -> Bool {
        readChunk = []
        if buffer.capacity > buffer.count + 1024 { buffer = Array(buffer) }
        loopDeadline = deadline
        return loop.adopt(self)
    }

    /// Ends a waiting connection whose time is up: quietly when idle, with 408 when its head
    /// stalled. The 408 is sent only if the socket takes it at once: a peer that reads nothing must
    /// not hold up the loop's thread.
    func expire() {
        if !buffer.isEmpty {
            let response = Self.refusal(Self.headTimedOut)
            let (bytes, _) = encoder.encode(response, keepAlive: false, version: .http11, includeBody: true)
            _ = bytes.withUnsafeBytes { sendWithoutWaiting(stream.fd, $0) }
        }
        close()
    }

    /// `true` when `buffer[from...]` holds the blank line that ends a head.
    private func containsBlankLine(from start: Int) -> Bool {
        buffer.withUnsafeBufferPointer { HTTPHeadParser.containsBlankLine($0, from: start) }
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
        if onLoop { mayBlock() }
        if timeout != receiveTimeout {
            SocketOptions.setTimeout(stream.fd, option: SO_RCVTIMEO, seconds: timeout)
            receiveTimeout = timeout
        }
        if readChunk.isEmpty { readChunk = [UInt8](repeating: 0, count: 16 * 1024) }
        let result = readChunk.withUnsafeMutableBytes { stream.read(into: $0) }
        if case .bytes(let count) = result { buffer.append(contentsOf: readChunk[0..<count]) }
        return result
    }

    // MARK: Writing

    /// Answers a request the server refused and ends the connection (framing is no longer trusted).
    private func refuse(_ error: HTTPParseError) {
        _ = write(Self.refusal(error), keepAlive: false, version: .http11, includeBody: true)
    }

    /// The answer to a request the server refuses: the status and the reason in plain text.
    private static func refusal(_ error: HTTPParseError) -> HTTPResponse {
        var response = HTTPResponse.text("\(error.status.code) \(error.status.reason): \(error.reason)\n", status: error.status)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// Writes the response, or the wire fault it carries. `false` when the connection must end.
    private func write(_ response: HTTPResponse, keepAlive: Bool, version: HTTPVersion, includeBody: Bool) -> Bool {
        sleepMilliseconds(response.delayMilliseconds)
        if let body = response.stream {
            // Streamed: the body ends when the connection closes, so the head says so.
            let (head, _) = encoder.encode(response, keepAlive: false, version: version, includeBody: false)
            stream(head, body, stopping: { [registry] in registry.isStopping })
            return false
        }
        // Room for the head and the body at once: growing the buffer would copy both again.
        var out = ByteWriter(capacity: 256 + response.headers.count * 48 + response.body.count)
        let headLength = encoder.encode(response, keepAlive: keepAlive, version: version, includeBody: includeBody, into: &out)
        switch response.wireFault {
        case nil:
            return out.withBytes { stream.write(UnsafeRawBufferPointer($0)) } && keepAlive
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
            let bodyLength = out.count - headLength
            _ = out.withBytes { stream.write(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[0..<(headLength + bodyLength / 2)]))) }
            return false
        case .slow(let bytesPerSecond):
            return dribble(out.bytes, headLength: headLength, bytesPerSecond: bytesPerSecond) && keepAlive
        }
    }
}
