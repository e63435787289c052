@testable import AuthMockCrypto

/// One RSA key per test process: generating 2048-bit keys costs tens of milliseconds each.
enum TestKeys {
    static let rsa: RSAPrivateKey = try! RSAPrivateKey.generate()
    static let otherRSA: RSAPrivateKey = try! RSAPrivateKey.generate()
    static let signer = RS256SigningKey(rsa)
}
