import AuthMockHTTP

/// A running Confluence auth mock: its listeners and its routes.
public final class MockServer: Sendable {
    public let options: MockServerOptions
    private let server: HTTPServer

    public init(options: MockServerOptions = MockServerOptions()) {
        self.options = options
        var configuration = HTTPServerConfiguration(host: options.host, port: options.port, tls: options.tls)
        configuration.limits = HTTPLimits()
        let handler = MockHTTPHandler(router: Routes.table(admin: AdminAPI()), options: options,
                                      log: RequestLogger(format: options.log))
        server = HTTPServer(configuration: configuration, handler: handler)
    }

    /// Binds the listeners. Throws when a port is taken or the TLS files are unusable.
    public func start() throws { try server.start() }

    /// Stops gracefully (requests in flight finish) and frees the ports.
    public func stop() { server.stop() }

    /// `http://HOST:PORT` (IPv6 hosts in brackets).
    public var baseURL: String { "http://\(Self.urlHost(server.boundHost)):\(server.port)" }

    /// `https://HOST:PORT`, when TLS is on.
    public var tlsBaseURL: String? { server.tlsPort.map { "https://\(Self.urlHost(server.boundHost)):\($0)" } }

    static func urlHost(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}
