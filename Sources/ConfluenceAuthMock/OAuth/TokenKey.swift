import AuthMockCrypto

/// An issued access token as a dictionary key, looked up on every Bearer request.
///
/// Hashing a whole token cost about as much as the rest of the Bearer check: a 3LO access token is
/// a JWT of about 900 bytes, and `String` hashes every byte. The key hashes the token's length and
/// its last 32 bytes instead (the end of the signature, which differs between any two tokens the
/// mock signs) and compares whole tokens for equality: the signature in constant time, the header
/// and claims before it with `memcmp` (`ConstantTime.equals(_:_:secretFrom:)` says why),
/// since comparing all 900 bytes in constant time cost a tenth of a Bearer request's instructions.
/// Equal keys still hash alike, so a lookup is exact; tokens that share an ending only share a bucket.
struct TokenKey: Hashable, Sendable {
    let token: String
    /// Where the token's signature begins, found once when the token is stored. A key made only to
    /// look a presented token up leaves it `nil`: the stored key it meets supplies the split, so a
    /// presented token can neither move it nor cost a scan per request.
    let secretStart: Int?

    /// A key for a token being stored.
    init(_ token: String) {
        self.token = token
        secretStart = ConstantTime.secretStart(ofSignedToken: token)
    }

    /// A key for a presented token, to look it up.
    init(lookingUp token: String) {
        self.token = token
        secretStart = nil
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(token.utf8.count)
        let hashed: Void? = token.utf8.withContiguousStorageIfAvailable { bytes in
            hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.suffix(32))))
        }
        if hashed == nil { hasher.combine(token) }
    }

    static func == (lhs: TokenKey, rhs: TokenKey) -> Bool {
        // The earlier split of two stored keys; a lookup key takes the stored key's; two lookup
        // keys (never met in a store) compare whole in constant time.
        let split: Int? = switch (lhs.secretStart, rhs.secretStart) {
        case let (left?, right?): min(left, right)
        case let (left?, nil): left
        case let (nil, right?): right
        case (nil, nil): nil
        }
        guard let split else { return ConstantTime.equals(lhs.token, rhs.token) }
        return ConstantTime.equals(lhs.token, rhs.token, secretFrom: split)
    }
}
