import AuthMockCrypto

/// An issued access token as a dictionary key, looked up on every Bearer request.
///
/// Hashing a whole token cost about as much as the rest of the Bearer check: a 3LO access token is
/// a JWT of about 900 bytes, and `String` hashes every byte. The key hashes the token's length and
/// its last 32 bytes instead (the end of the signature, which differs between any two tokens the
/// mock signs) and compares whole tokens for equality, in constant time (a token is a secret).
/// Equal keys still hash alike, so a lookup is exact; tokens that share an ending only share a bucket.
struct TokenKey: Hashable, Sendable {
    let token: String

    init(_ token: String) { self.token = token }

    func hash(into hasher: inout Hasher) {
        hasher.combine(token.utf8.count)
        let hashed: Void? = token.utf8.withContiguousStorageIfAvailable { bytes in
            hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.suffix(32))))
        }
        if hashed == nil { hasher.combine(token) }
    }

    static func == (lhs: TokenKey, rhs: TokenKey) -> Bool { ConstantTime.equals(lhs.token, rhs.token) }
}
