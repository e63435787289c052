import COpenSSL

/// The certificate authority the proxy signs tunnelled hosts' certificates with: a CA certificate
/// and its private key, read from PEM and checked (it must be a CA, and the key must be its key).
///
/// @unchecked Sendable: the certificate and key are read in `init` and never changed; OpenSSL's
/// `X509` and `EVP_PKEY` may be read (signing with the key included) from many threads at once
/// (openssl-threads(7)).
public final class CertificateAuthority: @unchecked Sendable {
    let certificate: OpaquePointer
    let key: OpaquePointer
    /// The CA certificate, PEM: what clients of the proxy trust.
    public let certificatePEM: String

    public init(certificatePEM: String, privateKeyPEM: String) throws(TLSError) {
        guard let certificate = Self.read(certificatePEM, { PEM_read_bio_X509($0, nil, nil, nil) }) else {
            throw TLSError.drain("the proxy CA certificate is not a PEM certificate")
        }
        guard X509_check_ca(certificate) >= 1 else {
            X509_free(certificate)
            throw TLSError(message: "the proxy CA certificate is not a CA certificate (it lacks basicConstraints CA:TRUE)")
        }
        guard let key = Self.read(privateKeyPEM, { PEM_read_bio_PrivateKey($0, nil, nil, nil) }) else {
            X509_free(certificate)
            throw TLSError.drain("the proxy CA key is not a PEM private key")
        }
        guard X509_check_private_key(certificate, key) == 1 else {
            X509_free(certificate)
            EVP_PKEY_free(key)
            throw TLSError.drain("the proxy CA key is not the CA certificate's key")
        }
        (self.certificate, self.key, self.certificatePEM) = (certificate, key, certificatePEM)
    }

    deinit {
        X509_free(certificate)
        EVP_PKEY_free(key)
    }

    private static func read(_ pem: String, _ parse: (OpaquePointer) -> OpaquePointer?) -> OpaquePointer? {
        var bytes = Array(pem.utf8)
        return bytes.withUnsafeMutableBytes { buffer -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return parse(bio)
        }
    }

    /// A new certificate for `host` with a fresh EC P-256 key, valid for 30 days from an hour ago.
    func mintContext(for host: String) throws(TLSError) -> TLSContext {
        guard !host.isEmpty, host.utf8.count <= 253, !host.contains(where: { $0 == "," || $0 == "\n" || $0 == "\r" || $0 == "\0" }) else {
            throw TLSError(message: "no certificate for the host name \"\(host)\"")
        }
        // An IPv6 address comes in brackets, as in a URL or a CONNECT; a certificate names it bare.
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var leaf: OpaquePointer?, leafKey: OpaquePointer?
        let serial = SecureRandomSerial.next()
        guard cam_mint_leaf(certificate, key, name, Self.isIPAddress(name) ? 1 : 0, serial, 30, &leaf, &leafKey) == 1, let leaf, let leafKey else {
            throw TLSError.drain("minting a certificate for \(host)")
        }
        defer {
            X509_free(leaf)
            EVP_PKEY_free(leafKey)
        }
        return try TLSContext(certificate: leaf, key: leafKey)
    }

    private static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || (!host.isEmpty && host.allSatisfy { $0 == "." || $0.isASCII && $0.isNumber })
    }
}

/// Serial numbers for minted certificates: random, so two runs never issue the same one.
enum SecureRandomSerial {
    static func next() -> UInt64 {
        var value: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &value) { RAND_bytes($0.baseAddress, 8) }
        return value & 0x7FFF_FFFF_FFFF_FFFF | 1
    }
}

/// The proxy's TLS contexts, one per tunnelled host, minted on first use and kept: the first
/// tunnel to a host pays for its certificate (an EC key and a signature), later ones nothing.
public final class TunnelCertificates: Sendable {
    public let authority: CertificateAuthority
    private let contexts = Lock<[String: TLSContext]>([:])
    /// At most this many hosts' contexts are kept; past it the cache starts again.
    private static let capacity = 1_000

    public init(authority: CertificateAuthority) { self.authority = authority }

    /// The context for `host` (lower-cased), minted when it is the first tunnel there.
    func context(for host: String) throws(TLSError) -> TLSContext {
        let host = host.lowercased()
        if let known = contexts.withLock({ $0[host] }) { return known }
        // Minted outside the lock: a signature takes a millisecond or two.
        let minted = try authority.mintContext(for: host)
        return contexts.withLock { contexts in
            if contexts.count >= Self.capacity { contexts.removeAll() }
            if let raced = contexts[host] { return raced }
            contexts[host] = minted
            return minted
        }
    }
}
