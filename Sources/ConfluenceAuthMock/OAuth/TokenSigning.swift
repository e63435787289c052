import AuthMockCrypto
import AuthMockFormats

/// The key OAuth access tokens are signed with, published at `/.well-known/jwks.json`.
///
/// One key per process, generated on first use: RSA key generation takes tens of milliseconds,
/// which every mock start would otherwise pay. Mocks in one process share the key, not their
/// grants, so a token minted by one mock is still unknown to another.
///
/// The key has three primes (RFC 8017 multi-prime RSA): its public half, the JWKS and every
/// verifier are exactly those of a two-prime key, but signing is about 1.6x faster, and one
/// signature is most of what a code exchange costs (docs/performance.md).
enum TokenSigning {
    static let key = processSigningKey("the token-signing key")
    /// The `iss` of every access token (docs/reference.md §1.6), and the metadata documents' `issuer`.
    static let issuer = "https://auth.atlassian.com"

    /// `{"keys":[…]}` with the public half.
    static var jwks: JSONValue { JSONWebKey.keySet([JSONWebKey.publicJWK(of: key.privateKey.publicKey, keyID: key.keyID)]) }
}

/// A new RS256 key for one purpose, made once per process by the `static let` that holds it.
/// Three primes by default (see `TokenSigning`); `keyID` defaults to the RFC 7638 thumbprint.
func processSigningKey(_ purpose: String, primes: Int = 3, keyID: String? = nil) -> RS256SigningKey {
    do {
        return RS256SigningKey(try RSAPrivateKey.generate(primes: primes), keyID: keyID)
    } catch {
        fatalError("cannot generate \(purpose): \(error)")  // only when OpenSSL cannot make an RSA key at all
    }
}
