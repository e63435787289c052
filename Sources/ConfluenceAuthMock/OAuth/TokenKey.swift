import AuthMockCrypto

/// An issued access token as a dictionary key, looked up on every Bearer request.
///
/// Hashing a whole token cost about as much as the rest of the Bearer check: a 3LO access token is
/// a JWT of about 900 bytes, and `String` hashes every byte. The key hashes the token's length and
/// its last 32 bytes instead (the end of the signature, which differs between any two tokens the
/// mock signs) and compares whole tokens for equality: the signature in constant time, the header
/// and claims before it with `memcmp` (`ConstantTime.equals(_:secretFrom:_:secretFrom:)` says why),
/// since comparing all 900 bytes in constant time cost a tenth of a Bearer request's instructions.
/// Equal keys still hash alike, so a lookup is exact; tokens that share an ending only share a bucket.
struct TokenKey: Hashable, Sendable {
    let token: String
    /// Where the token's signature begins, found once per key rather than on every comparison.
    let secretStart: Int

    init(_ token: String) {
        self.token = token
        secretStart = ConstantTime.secretStart(ofSignedToken: token)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(token.utf8.count)
        let hashed: Void? = token.utf8.withContiguousStorageIfAvailable { bytes in
            hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.suffix(32))))
        }
        if hashed == nil { hasher.combine(token) }
    }

    static func == (lhs: TokenKey, rhs: TokenKey) -> Bool {
        ConstantTime.equals(lhs.token, secretFrom: lhs.secretStart, rhs.token, secretFrom: rhs.secretStart)
    }
}
