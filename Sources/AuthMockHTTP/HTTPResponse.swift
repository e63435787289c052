import AuthMockFormats

/// One response, as plain values. `Date` and `Content-Length` are added when it is written;
/// a `wireFault` or `delayMilliseconds` changes how (or whether) it reaches the client.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Milliseconds to wait before anything is written.
    public var delayMilliseconds: Int
    /// Misbehaviour on the wire instead of (or while) writing the response.
    public var wireFault: WireFault?
    /// A body produced while the connection stays open, in place of `body`; the connection ends
    /// after it (``ResponseStream``).
    public var stream: ResponseStream?
    /// The host a `CONNECT` tunnel opens to: after this 2xx answer the connection becomes a TLS
    /// connection presenting a certificate for that host (``TunnelCertificates``), and its requests
    /// carry ``HTTPRequest/addressedHost``.
    public var tunnel: String?

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8] = [],
                delayMilliseconds: Int = 0, wireFault: WireFault? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delayMilliseconds = delayMilliseconds
        self.wireFault = wireFault
    }

    /// A JSON response (`application/json;charset=UTF-8`, as Atlassian sends).
    public static func json(_ value: JSONValue, status: HTTPStatus = .ok, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var headers = headers
        if !headers.contains("Content-Type") { headers.set("Content-Type", "application/json;charset=UTF-8") }
        return HTTPResponse(status: status, headers: headers, body: value.serializedBytes)
    }

    /// A plain-text response.
    public static func text(_ text: String, status: HTTPStatus = .ok, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var headers = headers
        if !headers.contains("Content-Type") { headers.set("Content-Type", "text/plain;charset=UTF-8") }
        return HTTPResponse(status: status, headers: headers, body: Array(text.utf8))
    }

    /// An HTML response.
    public static func html(_ html: String, status: HTTPStatus = .ok, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var headers = headers
        if !headers.contains("Content-Type") { headers.set("Content-Type", "text/html;charset=UTF-8") }
        return HTTPResponse(status: status, headers: headers, body: Array(html.utf8))
    }
}

/// Ways a response can go wrong on the wire, for failure injection.
public enum WireFault: Sendable, Equatable {
    /// Abort the connection with a TCP RST (`SO_LINGER` 0), writing nothing.
    case reset
    /// Close the connection without writing anything.
    case close
    /// Write this many random bytes, then close.
    case garbage(byteCount: Int)
    /// Write the head and the first half of the body (the head announces all of it), then close.
    case truncate
    /// Write the head, then the body at this many bytes per second.
    case slow(bytesPerSecond: Int)
}

/// Answers requests. Handlers must be safe to call from many threads at once. They run on an event
/// loop's thread (ConnectionLoop.swift), so a handler that is about to wait, or to compute for a
/// long time, calls ``mayBlock()`` first; the server's own waits (delays, slow bodies, streams,
/// outbound calls through ``HTTPClient``) already do.
public protocol HTTPHandler: Sendable {
    func respond(to request: HTTPRequest) -> HTTPResponse

    /// Housekeeping, such as dropping state that has expired: the server calls it on its accepting
    /// thread every ``HTTPServerConfiguration/maintenanceInterval`` seconds, whatever the traffic.
    /// It must not block for long (no connection is accepted meanwhile).
    func maintain()
}

extension HTTPHandler {
    /// No housekeeping.
    public func maintain() {}
}

/// A handler made from a closure.
public struct ClosureHandler: HTTPHandler {
    let body: @Sendable (HTTPRequest) -> HTTPResponse
    public init(_ body: @escaping @Sendable (HTTPRequest) -> HTTPResponse) { self.body = body }
    public func respond(to request: HTTPRequest) -> HTTPResponse { body(request) }
}
