import AuthMockFormats
import AuthMockHTTP

// The types of the lower modules that the public API takes or returns, named here so that
// `import ConfluenceAuthMock` is enough to use them: AuthMockFormats and AuthMockHTTP are
// modules of the package but not products, so a client package cannot depend on them. Each is an
// alias of the one type, so code that imports both modules (the CLI, the package's own tests) sees
// no ambiguity.

/// A JSON value: what `Scenario.CannedResponse.json`, `Scenario.FaultMatch.json`, `Scenario.json` and
/// `JournalEntry.json` hold. Literals build one (`["ok": true, "items": [1, 2]]`); `parse(_:)`
/// reads text strictly (RFC 8259, no duplicate names) and `serialized` writes it.
public typealias JSONValue = AuthMockFormats.JSONValue

/// A JSON object whose members keep their order, as in `JSONValue.object`.
public typealias JSONObject = AuthMockFormats.JSONObject

/// Why `JSONValue.parse(_:)` refused its input, with the byte offset.
public typealias JSONParseError = AuthMockFormats.JSONParseError

extension JournalEntry {
    /// How a request reached the mock (`JournalEntry.transport`): `.socket`, or `.inProcess` for a
    /// URL session answered without one (`MockConfluence.urlSessionConfiguration()`).
    public typealias Transport = AuthMockHTTP.HTTPTransport
}

extension MockServerOptions {
    /// An HTTPS listener beside the HTTP one (`MockServerOptions.tls`): a PEM certificate chain,
    /// its private key and the port (0 picks a free one). The CLI's `--tls-port`, `--tls-cert`,
    /// `--tls-key`. Nested here, since a client's own TLS library (SwiftNIO's, say) may have a
    /// `TLSConfiguration` too.
    public typealias TLSConfiguration = AuthMockHTTP.TLSConfiguration

    /// How calls the mock makes to apps (Connect lifecycle hooks, Forge remotes) trust `https://`
    /// servers (`MockServerOptions.outboundTLS`): the system's CAs (`.system`), those plus a CA
    /// file (`.init(caFile:)`, the CLI's `--app-ca`), or any certificate
    /// (`.init(verifyPeer: false)`, `--app-insecure`).
    public typealias OutboundTLS = AuthMockHTTP.OutboundTLS

    /// Why a TLS configuration or CA file cannot be used, with OpenSSL's reason.
    public typealias TLSError = AuthMockHTTP.TLSError
}
