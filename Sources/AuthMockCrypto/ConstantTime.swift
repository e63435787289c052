import COpenSSL

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
