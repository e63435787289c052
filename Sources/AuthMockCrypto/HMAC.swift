import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// HMAC-SHA256 (RFC 2104) through OpenSSL 3's EVP_MAC.
public enum HMACSHA256 {
    /// The 32-byte MAC of `message` under `key`.
    public static func authenticationCode(for message: some Collection<UInt8>, key: some Collection<UInt8>) -> [UInt8] {
        do {
            return try compute(message: message, key: key)
        } catch {
            // Only allocation failure reaches here; there is nothing a caller could do.
            fatalError("HMAC-SHA256 failed: \(error)")
        }
    }

    /// `true` when `mac` is the MAC of `message` under `key`, compared in constant time.
    public static func isValid(_ mac: some Collection<UInt8>, for message: some Collection<UInt8>, key: some Collection<UInt8>) -> Bool {
        ConstantTime.equals(authenticationCode(for: message, key: key), mac)
    }

    /// The MAC, or OpenSSL's error: for callers that must not trap (key derivation).
    static func compute(message: some Collection<UInt8>, key: some Collection<UInt8>) throws(CryptoError) -> [UInt8] {
        let context = try ThreadHMACContext.current()
        var output = [UInt8](repeating: 0, count: 32)
        var length = 0
        let ok: Int32 = withContiguousBytes(key) { keyBytes in
            withContiguousBytes(message) { messageBytes in
                // A zero-length key is legal HMAC; OpenSSL wants a non-null pointer for it.
                let keyPointer = keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
                var empty: UInt8 = 0
                guard EVP_MAC_init(context, keyPointer ?? withUnsafePointer(to: &empty) { $0 }, keyBytes.count, nil) == 1,
                      EVP_MAC_update(context, messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count) == 1
                else { return 0 }
                return EVP_MAC_final(context, &output, &length, output.count)
            }
        }
        try openSSLCheck(ok, "HMAC-SHA256")
        return output
    }

    static func withDigestParameter<R>(_ body: (UnsafePointer<OSSL_PARAM>) -> R) -> R {
        "SHA256".withCString { name in
            "digest".withCString { key in
                let parameters = [
                    OSSL_PARAM_construct_utf8_string(key, UnsafeMutablePointer(mutating: name), 0),
                    OSSL_PARAM_construct_end(),
                ]
                return parameters.withUnsafeBufferPointer { body($0.baseAddress!) }
            }
        }
    }
}

/// This thread's HMAC context, re-keyed by `EVP_MAC_init` for every MAC.
///
/// Setting the digest by name per call made OpenSSL fetch SHA256 each time (a locked name
/// lookup); copying a configured template per call still cost half a dozen allocations inside
/// OpenSSL, the largest part of a MAC over a JWT. One context per thread, made from the template
/// on the thread's first MAC and freed when the thread ends, costs neither. (It holds the last
/// key's padded digests until the next MAC re-keys it or the thread ends; `EVP_MAC_CTX_free`
/// cleanses them.)
enum ThreadHMACContext {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        // The same closure fits both platforms' destructor types (optional or not).
        guard pthread_key_create(&key, { EVP_MAC_CTX_free(OpaquePointer($0)) }) == 0 else {
            fatalError("cannot create the thread-local HMAC key")  // only when the process is out of keys
        }
        return key
    }()

    static func current() throws(CryptoError) -> OpaquePointer {
        if let existing = pthread_getspecific(key) { return OpaquePointer(existing) }
        let context = try openSSLCheck(EVP_MAC_CTX_dup(HMACTemplate.shared.context), "HMAC context")
        guard pthread_setspecific(key, UnsafeRawPointer(context)) == 0 else {
            EVP_MAC_CTX_free(context)
            throw CryptoError.refused("HMAC context", "cannot keep it for this thread")
        }
        return context
    }
}

/// An HMAC context with its digest set and no key, made once and only ever copied.
final class HMACTemplate: @unchecked Sendable {
    // @unchecked Sendable: `context` is configured in `init` and afterwards only passed to
    // EVP_MAC_CTX_dup, which takes a const source; openssl-threads(7) allows concurrent calls that
    // only read an object.
    let context: OpaquePointer

    static let shared = HMACTemplate()

    private init() {
        guard let context = EVP_MAC_CTX_new(OpenSSLAlgorithms.shared.hmac),
              HMACSHA256.withDigestParameter({ EVP_MAC_CTX_set_params(context, $0) }) == 1
        else { fatalError("cannot configure HMAC-SHA256: \(CryptoError.fromOpenSSL("HMAC context"))") }
        self.context = context
    }
}
