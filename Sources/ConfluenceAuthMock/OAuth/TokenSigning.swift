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
    static let key: RS256SigningKey = {
        do {
            return RS256SigningKey(try RSAPrivateKey.generate(primes: 3))
        } catch {
            fatalError("cannot generate the token-signing key: \(error)")
        }
    }()

    /// `{"keys":[…]}` with the public half.
    static var jwks: JSONValue { JSONWebKey.keySet([JSONWebKey.publicJWK(of: key.privateKey.publicKey, keyID: key.keyID)]) }
}
