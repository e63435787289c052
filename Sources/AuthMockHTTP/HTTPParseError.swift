/// A request the server refuses before any handler sees it: the status to answer and why.
/// The connection is always closed after such an answer, since framing can no longer be trusted.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: HTTPStatus
    public let reason: String

    public init(_ status: HTTPStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status): \(reason)" }
}

/// Bounds on what a client may send; past them it gets the matching 4xx.
public struct HTTPLimits: Sendable {
    /// Longest request line (414 past it).
    public var maxRequestLineBytes = 8 * 1024
    /// Largest header block, request line excluded (431 past it).
    public var maxHeaderBytes = 32 * 1024
    /// Most header fields (431 past it).
    public var maxHeaderCount = 100
    /// Largest body (413 past it).
    public var maxBodyBytes = 10 * 1024 * 1024
    /// Seconds a keep-alive connection may sit idle before it is closed quietly.
    public var idleTimeout: Double = 30
    /// Seconds from a request's first byte until its head is complete (408 past it).
    public var headerTimeout: Double = 10
    /// Seconds the body may stall between reads (408 past it), and a write may block.
    public var bodyTimeout: Double = 30

    public init() {}
}
