import AuthMockHTTP

/// How a mock listens and what it tells about itself: what the CLI's `serve` flags set.
public struct MockServerOptions: Sendable {
    /// Address to bind; `127.0.0.1` unless told otherwise.
    public var host: String
    /// HTTP port; 0 picks a free one.
    public var port: Int
    /// An HTTPS listener too, when set.
    public var tls: TLSConfiguration?
    /// When set, every `/__admin` route needs `Authorization: Bearer <token>`.
    public var adminToken: String?
    /// `false` turns the admin routes off: they answer 404 like any unknown path.
    public var adminEnabled: Bool
    /// Where one line per request goes.
    public var log: RequestLogFormat
    /// How many requests the journal keeps (the oldest drop off).
    public var journalCapacity: Int
    /// How calls to apps (lifecycle hooks, Forge remotes) trust `https://` servers.
    public var outboundTLS: OutboundTLS
    /// The file the mock's run-time state is kept in (`serve --state FILE`): restored by
    /// ``MockConfluence/start()`` when it exists, written by ``MockConfluence/saveState()`` and
    /// `POST /__admin/state/save` (docs/state.md). `nil` keeps the state in memory only.
    public var stateFile: String?

    public init(host: String = "127.0.0.1", port: Int = 0, tls: TLSConfiguration? = nil,
                adminToken: String? = nil, adminEnabled: Bool = true, log: RequestLogFormat = .off, journalCapacity: Int = 10_000,
                outboundTLS: OutboundTLS = .system, stateFile: String? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
        self.adminToken = adminToken
        self.adminEnabled = adminEnabled
        self.log = log
        self.journalCapacity = journalCapacity
        self.outboundTLS = outboundTLS
        self.stateFile = stateFile
    }
}

/// The request log's format: `--log text|json|off`.
public enum RequestLogFormat: String, Sendable, CaseIterable {
    case text, json, off
}
