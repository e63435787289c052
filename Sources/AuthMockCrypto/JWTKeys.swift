/// The JWS algorithms the mock signs and verifies. Any other `alg`, `none` above all, is refused.
public enum JWTAlgorithm: String, Sendable, CaseIterable {
    /// HMAC-SHA256 (Connect apps, lifecycle `enabled`/`disabled` hooks).
    case hs256 = "HS256"
    /// RSASSA-PKCS1-v1_5 with SHA-256 (OAuth access tokens, signed installs, Forge tokens).
    case rs256 = "RS256"
}

/// A key that signs tokens. The key, not the token, decides the algorithm.
public protocol JWTSigningKey: Sendable {
    var algorithm: JWTAlgorithm { get }
    /// Written to the header's `kid` when present.
    var keyID: String? { get }
    func sign(_ signingInput: [UInt8]) throws(CryptoError) -> [UInt8]
}

/// A key that verifies tokens of exactly one algorithm.
public protocol JWTVerificationKey: Sendable {
    var algorithm: JWTAlgorithm { get }
    /// When both the key and the token name a `kid`, they must match.
    var keyID: String? { get }
    func isValidSignature(_ signature: [UInt8], for signingInput: [UInt8]) -> Bool
}

/// An HS256 shared secret (signs and verifies).
public struct HMACKey: JWTSigningKey, JWTVerificationKey {
    public let secret: [UInt8]
    public let keyID: String?
    public var algorithm: JWTAlgorithm { .hs256 }

    public init(secret: some Collection<UInt8>, keyID: String? = nil) {
        self.secret = Array(secret)
        self.keyID = keyID
    }

    /// A secret given as text (Connect's `sharedSecret`), used as its UTF-8 bytes.
    public init(secret: String, keyID: String? = nil) { self.init(secret: Array(secret.utf8), keyID: keyID) }

    public func sign(_ signingInput: [UInt8]) throws(CryptoError) -> [UInt8] {
        HMACSHA256.authenticationCode(for: signingInput, key: secret)
    }

    public func isValidSignature(_ signature: [UInt8], for signingInput: [UInt8]) -> Bool {
        HMACSHA256.isValid(signature, for: signingInput, key: secret)
    }
}

/// An RS256 private key with its `kid`; signs.
public struct RS256SigningKey: JWTSigningKey {
    public let privateKey: RSAPrivateKey
    public let keyID: String?
    public var algorithm: JWTAlgorithm { .rs256 }

    /// `keyID` defaults to the RFC 7638 thumbprint of the public key.
    public init(_ privateKey: RSAPrivateKey, keyID: String? = nil) {
        self.privateKey = privateKey
        self.keyID = keyID ?? JSONWebKey.thumbprint(of: privateKey.publicKey)
    }

    /// The verifying half, with the same `kid`.
    public var verificationKey: RS256VerificationKey { RS256VerificationKey(privateKey.publicKey, keyID: keyID) }

    public func sign(_ signingInput: [UInt8]) throws(CryptoError) -> [UInt8] {
        try privateKey.signRS256(signingInput)
    }
}

/// An RS256 public key with its optional `kid`; verifies.
public struct RS256VerificationKey: JWTVerificationKey {
    public let publicKey: RSAPublicKey
    public let keyID: String?
    public var algorithm: JWTAlgorithm { .rs256 }

    public init(_ publicKey: RSAPublicKey, keyID: String? = nil) {
        self.publicKey = publicKey
        self.keyID = keyID
    }

    public func isValidSignature(_ signature: [UInt8], for signingInput: [UInt8]) -> Bool {
        publicKey.verifyRS256(signature: signature, message: signingInput)
    }
}
