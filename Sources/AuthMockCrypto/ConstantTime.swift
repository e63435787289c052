import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Comparisons of secrets whose running time does not depend on where the inputs differ.
public enum ConstantTime {
    /// `true` when both hold the same bytes. Time depends only on the lengths: inputs of different
    /// lengths are compared against themselves first, so a mismatch in length costs as much as a
    /// mismatch in content of the same size (only the length itself can leak, as with any MAC check).
    public static func equals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        Array(lhs).withUnsafeBufferPointer { left in Array(rhs).withUnsafeBufferPointer { right in equals(left, right) } }
    }

    /// Compares two strings' UTF-8 bytes in constant time, in place (basic auth compares the
    /// presented secret with every token of the user on every request).
    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        var lhs = lhs, rhs = rhs
        return lhs.withUTF8 { left in rhs.withUTF8 { right in equals(left, right) } }
    }

    /// Where the secret part of a signed token begins: just after its last `.` (a JWT's signature),
    /// or 0 when it has none (an opaque token is secret throughout).
    public static func secretStart(ofSignedToken token: String) -> Int {
        var token = token
        return token.withUTF8 { bytes in
            // memchr from dot to dot: vectorised, where a byte loop back from the end cost 2,000
            // instructions per Bearer request. A JWT has only two dots.
            guard let base = bytes.baseAddress else { return 0 }
            var start = 0
            while start < bytes.count, let dot = memchr(base + start, Int32(UInt8(ascii: ".")), bytes.count - start) {
                start = UnsafeRawPointer(dot) - UnsafeRawPointer(base) + 1
            }
            return start
        }
    }

    /// Compares two signed tokens whose bytes from `split` on (a stored token's
    /// `secretStart(ofSignedToken:)`) are secret. What precedes is a JWT's header and claims:
    /// whoever holds the token reads them, and the signature binds them, so learning them from
    /// timing helps no one forge a token. They are compared with `memcmp` and only the signature in
    /// constant time, which is what lets a 900-byte token be looked up cheaply on every request.
    /// The caller takes `split` from the stored token, never from a presented one, which could
    /// otherwise move the stored signature into the fast comparison. Time depends on the lengths,
    /// the split and where the public parts differ, never on the secret bytes.
    public static func equals(_ lhs: String, _ rhs: String, secretFrom split: Int) -> Bool {
        var lhs = lhs, rhs = rhs
        return lhs.withUTF8 { left in
            rhs.withUTF8 { right in
                guard left.count == right.count else { return false }
                let split = max(0, min(split, left.count))
                let secretEqual = equals(UnsafeBufferPointer(rebasing: left[split...]), UnsafeBufferPointer(rebasing: right[split...]))
                guard split > 0, let leftStart = left.baseAddress, let rightStart = right.baseAddress else { return secretEqual }
                return memcmp(leftStart, rightStart, split) == 0 && secretEqual
            }
        }
    }

    private static func equals(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        let sameLength = left.count == right.count
        let other = sameLength ? right : left
        let contentEqual = left.isEmpty || CRYPTO_memcmp(left.baseAddress, other.baseAddress, left.count) == 0
        return sameLength && contentEqual
    }
}

/// Cryptographically secure random bytes from OpenSSL's DRBG.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return output }
        // RAND_bytes fails only when the DRBG cannot be seeded; continuing would issue guessable tokens.
        precondition(RAND_bytes(&output, Int32(count)) == 1, "RAND_bytes failed: \(CryptoError.fromOpenSSL("random"))")
        return output
    }

    /// A random token of `byteCount` bytes as unpadded base64url (e.g. refresh tokens, CSRF tokens).
    public static func token(byteCount: Int = 32) -> String { Base64URL.encode(bytes(byteCount)) }
}
