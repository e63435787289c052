import AuthMockFormats

/// JSON Web Keys (RFC 7517) for RSA public keys, and JWK Set documents.
public enum JSONWebKey {
    /// The RFC 7638 thumbprint: base64url SHA-256 of `{"e":…,"kty":"RSA","n":…}` with members in
    /// lexicographic order and no white space. The mock uses it as the key's `kid`.
    public static func thumbprint(of key: RSAPublicKey) -> String {
        let canonical: JSONValue = [
            "e": .string(Base64URL.encode(key.exponent)),
            "kty": "RSA",
            "n": .string(Base64URL.encode(key.modulus)),
        ]
        return Base64URL.encode(SHA256.hash(canonical.serializedBytes))
    }

    /// The public JWK of an RS256 signing key: `kty`, `kid` (the thumbprint unless given), `use`, `alg`, `n`, `e`.
    public static func publicJWK(of key: RSAPublicKey, keyID: String? = nil) -> JSONObject {
        JSONObject([
            ("kty", "RSA"),
            ("kid", .string(keyID ?? thumbprint(of: key))),
            ("use", "sig"),
            ("alg", "RS256"),
            ("n", .string(Base64URL.encode(key.modulus))),
            ("e", .string(Base64URL.encode(key.exponent))),
        ])
    }

    /// A JWK Set document: `{"keys":[…]}`.
    public static func keySet(_ keys: [JSONObject]) -> JSONValue {
        ["keys": .array(keys.map { .object($0) })]
    }

    /// Reads an RSA public key from a JWK; refuses other key types and malformed members.
    public static func rsaPublicKey(from jwk: JSONObject) throws(CryptoError) -> RSAPublicKey {
        guard jwk["kty"]?.stringValue == "RSA" else { throw CryptoError.refused("JWK import", "kty must be \"RSA\"") }
        guard let n = jwk["n"]?.stringValue.flatMap({ Base64URL.decode($0) }),
              let e = jwk["e"]?.stringValue.flatMap({ Base64URL.decode($0) })
        else { throw CryptoError.refused("JWK import", "n and e must be base64url strings") }
        return try RSAPublicKey(modulus: n, exponent: e)
    }
}
