import COpenSSL
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the mock's outbound client trusts `https://` servers (Connect apps' lifecycle hooks,
/// Forge remotes).
///
/// By default it trusts the system's CA store and checks the certificate's name against the
/// URL's host, as Confluence would. An app under test usually has a certificate from a test CA
/// (trust it with `caFile`) or a self-signed one (`verifyPeer: false`, like `curl --insecure`).
public struct OutboundTLS: Sendable, Hashable {
    /// A PEM file of CA certificates to trust besides the system's (e.g. `certs/ca.pem`).
    public var caFile: String?
    /// `false` accepts any certificate for any name. Only for apps under test.
    public var verifyPeer: Bool

    public init(caFile: String? = nil, verifyPeer: Bool = true) {
        self.caFile = caFile
        self.verifyPeer = verifyPeer
    }

    /// The system's CA store, with certificate and name checks.
    public static let system = OutboundTLS()

    /// Reads `caFile` now, so a bad file is reported at start-up rather than at the first call.
    /// Only the file is read: the system store (a few hundred certificates, tens of milliseconds)
    /// is loaded on the first `https://` call, so a mock that never makes one never pays for it.
    public func validate() throws(TLSError) {
        guard caFile != nil else { return }
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw TLSError.drain("SSL_CTX_new") }
        defer { SSL_CTX_free(context) }
        try loadCAFile(into: context)
    }

    /// Adds `caFile`'s certificates (if any) to a context's trust.
    func loadCAFile(into context: OpaquePointer) throws(TLSError) {
        if let caFile, SSL_CTX_load_verify_locations(context, caFile, nil) != 1 {
            throw TLSError.drain("loading CA certificates from \(caFile)")
        }
    }
}

/// A client `SSL_CTX` for one ``OutboundTLS``: TLS 1.2 and 1.3, ALPN `http/1.1`, its trust
/// loaded once (reading the system store per call would cost milliseconds).
///
/// @unchecked Sendable: the context is configured completely in `init` and never changed after;
/// OpenSSL allows one configured `SSL_CTX` to create `SSL` objects from many threads at once
/// (openssl-threads(7)).
final class TLSClientContext: @unchecked Sendable {
    let context: OpaquePointer
    let verifyPeer: Bool

    private static let contexts = Lock<[OutboundTLS: TLSClientContext]>([:])

    /// The context for `trust`, made on first use and kept: a mock has one or two trusts at most.
    static func shared(for trust: OutboundTLS) throws(TLSError) -> TLSClientContext {
        if let existing = contexts.withLock({ $0[trust] }) { return existing }
        let made = try TLSClientContext(trust)
        return contexts.withLock { contexts in
            if let raced = contexts[trust] { return raced }
            contexts[trust] = made
            return made
        }
    }

    private init(_ trust: OutboundTLS) throws(TLSError) {
        // OpenSSL writes to the socket with plain write(2): a peer that hangs up mid-request would
        // raise SIGPIPE and end the process. The server ignores it when it starts; a client used
        // on its own must too.
        signal(SIGPIPE, SIG_IGN)
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw TLSError.drain("SSL_CTX_new") }
        self.context = context
        verifyPeer = trust.verifyPeer
        guard cam_ssl_ctx_set_min_proto_version(context, cam_tls1_2_version()) == 1 else { throw TLSError.drain("TLS protocol versions") }
        let alpn: [UInt8] = [8] + Array("http/1.1".utf8)
        // SSL_CTX_set_alpn_protos returns 0 on success.
        guard SSL_CTX_set_alpn_protos(context, alpn, UInt32(alpn.count)) == 0 else { throw TLSError.drain("ALPN") }
        guard trust.verifyPeer else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
            return
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard SSL_CTX_set_default_verify_paths(context) == 1 else { throw TLSError.drain("loading the system's CA certificates") }
        try trust.loadCAFile(into: context)
    }

    deinit { SSL_CTX_free(context) }

    /// Runs the client handshake on a connected socket (bounded by its send and receive
    /// timeouts), checking the certificate for `host` when the trust verifies peers.
    func connect(fd: Int32, host: String) throws(TLSError) -> TLSStream {
        guard let ssl = SSL_new(context) else { throw TLSError.drain("SSL_new") }
        guard SSL_set_fd(ssl, fd) == 1 else {
            SSL_free(ssl)
            throw TLSError.drain("SSL_set_fd")
        }
        let isAddress = Self.isIPAddress(host)
        // RFC 6066 §3: SNI carries host names only, never address literals.
        if !isAddress { _ = cam_ssl_set_server_name(ssl, host) }
        if verifyPeer {
            let parameters = SSL_get0_param(ssl)
            let named = isAddress ? X509_VERIFY_PARAM_set1_ip_asc(parameters, host) : X509_VERIFY_PARAM_set1_host(parameters, host, 0)
            guard named == 1 else {
                SSL_free(ssl)
                throw TLSError.drain("setting the expected certificate name \(host)")
            }
        }
        guard SSL_connect(ssl) == 1 else {
            let verification = SSL_get_verify_result(ssl)
            let reason = verification == X509_V_OK ? nil : String(cString: X509_verify_cert_error_string(verification))
            let error = TLSError.drain("TLS handshake with \(host) failed" + (reason.map { ": \($0)" } ?? ""))
            SSL_free(ssl)
            throw error
        }
        return TLSStream(fd: fd, ssl: ssl)
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
