import COpenSSL

/// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface.
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { digest, initialized in
            write(bytes, into: digest)
            initialized = 32
        }
    }

    /// The digest as 64 lower-case hex digits (the digest itself stays on the stack: this is every
    /// Connect request's `qsh`).
    public static func hexHash(_ bytes: some Collection<UInt8>) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digest in
            write(bytes, into: digest)
            return Hex.encode(UnsafeBufferPointer(digest))
        }
    }

    /// Writes the digest of `bytes` into the 32 bytes at `digest`.
    private static func write(_ bytes: some Collection<UInt8>, into digest: UnsafeMutableBufferPointer<UInt8>) {
        var length: UInt32 = 0
        let ok = withContiguousBytes(bytes) { input in
            EVP_Digest(input.baseAddress, input.count, digest.baseAddress, &length, OpenSSLAlgorithms.shared.sha256, nil)
        }
        // EVP_Digest fails only on allocation failure or a missing provider: not recoverable.
        precondition(ok == 1 && length == 32, "SHA-256 failed: \(CryptoError.fromOpenSSL("SHA-256"))")
    }
}

/// Lower-case hexadecimal text.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Each byte as two lower-case hex digits.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        // Written straight into the string's storage: one allocation, not an array and a string.
        String(unsafeUninitializedCapacity: bytes.count * 2) { output in
            var position = 0
            for byte in bytes {
                output[position] = digits[Int(byte >> 4)]
                output[position + 1] = digits[Int(byte & 0x0F)]
                position += 2
            }
            return position
        }
    }
}

/// Runs `body` over the bytes of any collection, copying only when they are not contiguous.
@inline(__always)
func withContiguousBytes<R>(_ bytes: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    if let result = try bytes.withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
        return result
    }
    return try Array(bytes).withUnsafeBytes(body)
}
