import COpenSSL

/// Algorithm implementations fetched from OpenSSL's default provider once per process.
///
/// Fetching (`EVP_MD_fetch`, `EVP_MAC_fetch`) is a name lookup with locking; doing it once keeps
/// the per-token cost to the arithmetic itself.
final class OpenSSLAlgorithms: @unchecked Sendable {
    // @unchecked Sendable: both pointers are written once in `init` and never again. OpenSSL
    // documents fetched EVP_MD and EVP_MAC objects as immutable, reference-counted and safe to
    // use from many threads at once (openssl-threads(7), "Objects fetched from providers").
    let sha256: OpaquePointer
    let hmac: OpaquePointer

    static let shared = OpenSSLAlgorithms()

    private init() {
        guard let sha256 = EVP_MD_fetch(nil, "SHA256", nil), let hmac = EVP_MAC_fetch(nil, "HMAC", nil) else {
            fatalError("OpenSSL's default provider lacks SHA256 or HMAC: \(CryptoError.fromOpenSSL("fetch"))")
        }
        self.sha256 = sha256
        self.hmac = hmac
    }
}
