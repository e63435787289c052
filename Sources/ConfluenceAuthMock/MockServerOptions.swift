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
    /// Proxy mode (`serve`'s default; `--no-proxy` turns it off): the HTTP listener also takes
    /// `CONNECT host:443` and absolute-form requests for Atlassian's hosts and the scenario sites'
    /// hosts, and answers them as those hosts, terminating TLS with a certificate minted for each
    /// host and signed by ``proxyCA`` (docs/proxy.md). Off, `CONNECT` answers 405 and absolute-form
    /// requests are served as origin-form.
    public var proxyEnabled = true
    /// The CA that signs the proxy's certificates; `nil` is the bundled test CA (certs/ca.pem,
    /// embedded in the binary).
    public var proxyCA: ProxyCA?

    /// A CA certificate and its private key, PEM (`--proxy-ca FILE --proxy-ca-key FILE`).
    public struct ProxyCA: Sendable, Equatable {
        public var certificatePEM: String
        public var privateKeyPEM: String

        public init(certificatePEM: String, privateKeyPEM: String) {
            self.certificatePEM = certificatePEM
            self.privateKeyPEM = privateKeyPEM
        }

        /// Reads the PEM files (`--proxy-ca FILE --proxy-ca-key FILE`); ``MockConfluence/start()``
        /// checks that they are a CA certificate and its key.
        public init(certificateFile: String, privateKeyFile: String) throws(TLSError) {
            func text(_ path: String, _ what: String) throws(TLSError) -> String {
                switch readFile(path) {
                case .success(let bytes): return String(decoding: bytes, as: UTF8.self)
                case .failure(let error): throw TLSError(message: "cannot read the proxy CA \(what) \(path): \(error.message)")
                }
            }
            self.init(certificatePEM: try text(certificateFile, "certificate"), privateKeyPEM: try text(privateKeyFile, "key"))
        }

        /// The bundled test CA.
        public static let bundled = ProxyCA(certificatePEM: BundledFiles.testCACertificate + "\n", privateKeyPEM: BundledFiles.testCAPrivateKey + "\n")
    }

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
