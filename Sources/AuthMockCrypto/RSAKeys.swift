import COpenSSL

/// The smallest RSA modulus the mock signs with or accepts (RFC 7518 §3.3: 2048 bits or larger).
public let minimumRSAKeyBits = 2048

/// An RSA private key that signs RS256 (RSASSA-PKCS1-v1_5 with SHA-256).
public struct RSAPrivateKey: Sendable {
    let key: EVPKey

    /// A new random key of `bits` bits (at least 2048). `primes` above 2 makes a multi-prime key
    /// (RFC 8017 §3.2): the public key and every verifier are unchanged, but CRT signing is faster.
    public static func generate(bits: Int = 2048, primes: Int = 2) throws(CryptoError) -> RSAPrivateKey {
        guard bits >= minimumRSAKeyBits else { throw CryptoError.refused("RSA key generation", "fewer than \(minimumRSAKeyBits) bits") }
        let context = try openSSLCheck(EVP_PKEY_CTX_new_from_name(nil, "RSA", nil), "RSA key generation")
        defer { EVP_PKEY_CTX_free(context) }
        try openSSLCheck(EVP_PKEY_keygen_init(context), "RSA key generation")
        guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) > 0 else { throw CryptoError.fromOpenSSL("RSA key size") }
        if primes != 2 {
            guard EVP_PKEY_CTX_set_rsa_keygen_primes(context, Int32(primes)) > 0 else { throw CryptoError.fromOpenSSL("RSA prime count") }
        }
        var key: OpaquePointer? = nil
        try openSSLCheck(EVP_PKEY_generate(context, &key), "RSA key generation")
        return RSAPrivateKey(key: EVPKey(taking: try openSSLCheck(key, "RSA key generation")))
    }

    /// Reads a PEM private key: PKCS#8 (`PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`).
    public init(pem: String) throws(CryptoError) {
        let key = try EVPKey.decodeRSA(pem: pem, selection: cam_selection_keypair())
        try Self.checkSize(key)
        self.key = key
    }

    /// Builds a key from JWK members (RFC 7518 §6.3.2): `n`, `e`, `d`, `p`, `q`, `dp`, `dq`, `qi`, base64url.
    public init(jwk: [String: String]) throws(CryptoError) {
        let names: [(String, StaticString)] = [("n", "n"), ("e", "e"), ("d", "d"), ("p", "rsa-factor1"), ("q", "rsa-factor2"),
                                               ("dp", "rsa-exponent1"), ("dq", "rsa-exponent2"), ("qi", "rsa-coefficient1")]
        var components: [(name: StaticString, value: [UInt8])] = []
        for (member, parameter) in names {
            guard let text = jwk[member], let value = Base64URL.decode(text) else {
                throw CryptoError.refused("JWK import", "member \"\(member)\" missing or not base64url")
            }
            components.append((parameter, value))
        }
        let key = try EVPKey.fromRSAComponents(components, selection: cam_selection_keypair())
        try Self.checkSize(key)
        self.key = key
    }

    init(key: EVPKey) { self.key = key }

    static func checkSize(_ key: EVPKey) throws(CryptoError) {
        guard key.bits >= minimumRSAKeyBits else {
            throw CryptoError.refused("RSA key", "\(key.bits)-bit modulus; at least \(minimumRSAKeyBits) bits required")
        }
    }

    /// The modulus size in bits.
    public var bits: Int { key.bits }

    /// The key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    public func pkcs8PEM() throws(CryptoError) -> String {
        try key.pem(selection: cam_selection_keypair(), structure: "PrivateKeyInfo")
    }

    /// The matching public key.
    public var publicKey: RSAPublicKey {
        // Re-importing n and e gives a public-only EVP_PKEY, so a public key can never sign.
        do {
            return try RSAPublicKey(modulus: key.bigNumber("n"), exponent: key.bigNumber("e"))
        } catch {
            fatalError("an RSA private key always has n and e: \(error)")
        }
    }

    /// The RS256 signature of `message`.
    public func signRS256(_ message: some Collection<UInt8>) throws(CryptoError) -> [UInt8] {
        let context = try openSSLCheck(EVP_MD_CTX_new(), "signing context")
        defer { EVP_MD_CTX_free(context) }
        try openSSLCheck(EVP_DigestSignInit(context, nil, OpenSSLAlgorithms.shared.sha256, nil, key.pointer), "RS256 signing")
        var signature = [UInt8](repeating: 0, count: (bits + 7) / 8)
        var length = signature.count
        let ok = withContiguousBytes(message) { input in
            EVP_DigestSign(context, &signature, &length, input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count)
        }
        try openSSLCheck(ok, "RS256 signing")
        return Array(signature.prefix(length))
    }
}

/// An RSA public key that verifies RS256 signatures.
public struct RSAPublicKey: Sendable {
    let key: EVPKey

    /// Reads a PEM public key: SubjectPublicKeyInfo (`PUBLIC KEY`) or PKCS#1 (`RSA PUBLIC KEY`).
    /// A private key is refused, so a public-key slot never silently holds a secret.
    public init(pem: String) throws(CryptoError) {
        guard pem.contains("-----BEGIN PUBLIC KEY-----") || pem.contains("-----BEGIN RSA PUBLIC KEY-----") else {
            throw CryptoError.refused("public key PEM", "expected a PUBLIC KEY or RSA PUBLIC KEY block")
        }
        let key = try EVPKey.decodeRSA(pem: pem, selection: cam_selection_public_key())
        try RSAPrivateKey.checkSize(key)
        self.key = key
    }

    /// Builds a key from its big-endian modulus and public exponent.
    public init(modulus: [UInt8], exponent: [UInt8]) throws(CryptoError) {
        let key = try EVPKey.fromRSAComponents([("n", modulus), ("e", exponent)], selection: cam_selection_public_key())
        try RSAPrivateKey.checkSize(key)
        self.key = key
    }

    /// The modulus size in bits.
    public var bits: Int { key.bits }
    /// The modulus, big-endian, without leading zeros.
    public var modulus: [UInt8] { (try? key.bigNumber("n")) ?? [] }
    /// The public exponent, big-endian, without leading zeros.
    public var exponent: [UInt8] { (try? key.bigNumber("e")) ?? [] }

    /// The key as SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`), as Connect's install-key host serves it.
    public func spkiPEM() throws(CryptoError) -> String {
        try key.pem(selection: cam_selection_public_key(), structure: "SubjectPublicKeyInfo")
    }

    /// The key as PKCS#1 PEM (`-----BEGIN RSA PUBLIC KEY-----`).
    public func pkcs1PEM() throws(CryptoError) -> String {
        try key.pem(selection: cam_selection_public_key(), structure: "type-specific")
    }

    /// `true` when `signature` is a valid RS256 signature of `message` by this key.
    public func verifyRS256(signature: some Collection<UInt8>, message: some Collection<UInt8>) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, OpenSSLAlgorithms.shared.sha256, nil, key.pointer) == 1 else {
            ERR_clear_error()
            return false
        }
        let result = withContiguousBytes(signature) { sig in
            withContiguousBytes(message) { input in
                EVP_DigestVerify(context, sig.baseAddress?.assumingMemoryBound(to: UInt8.self), sig.count,
                                 input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count)
            }
        }
        // A bad signature leaves a reason on the thread's queue; it is an answer, not an error.
        if result != 1 { ERR_clear_error() }
        return result == 1
    }
}
