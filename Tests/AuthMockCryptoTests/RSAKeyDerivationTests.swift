import Testing
@testable import AuthMockCrypto

@Suite struct RSAKeyDerivationTests {
    private static let seed = Array("confluence-auth-mock".utf8)
    /// Derived once per test process: a 2048-bit derivation costs a prime search.
    private static let oauth = Result { () throws(CryptoError) in try RSAPrivateKey.derived(fromSeed: seed, label: "oauth") }

    @Test func theSameSeedAndLabelGiveTheSameKey() throws {
        let first = try Self.oauth.get()
        let second = try RSAPrivateKey.derived(fromSeed: Self.seed, label: "oauth")
        #expect(second.publicKey.modulus == first.publicKey.modulus)
        #expect(try second.pkcs8PEM() == first.pkcs8PEM())
    }

    @Test func anotherLabelOrSeedGivesAnotherKey() throws {
        let modulus = try Self.oauth.get().publicKey.modulus
        let otherLabel = try RSAPrivateKey.derived(fromSeed: Self.seed, label: "forge")
        let otherSeed = try RSAPrivateKey.derived(fromSeed: Array("confluence-auth-mock ".utf8), label: "oauth")
        #expect(otherLabel.publicKey.modulus != modulus)
        #expect(otherSeed.publicKey.modulus != modulus)
        #expect(otherLabel.publicKey.modulus != otherSeed.publicKey.modulus)
    }

    @Test func theKeyIsA2048BitKeyThatSignsRS256AndPassesOpenSSLsCheck() throws {
        let key = try Self.oauth.get()
        #expect(key.bits == 2048)
        #expect(key.publicKey.exponent == [0x01, 0x00, 0x01])
        let message = Array("derived".utf8)
        let signature = try key.signRS256(message)
        #expect(key.publicKey.verifyRS256(signature: signature, message: message))
        #expect(!key.publicKey.verifyRS256(signature: signature, message: Array("derives".utf8)))
        try key.key.validate()
        // The PKCS#8 form reads back as the same key.
        #expect(try RSAPrivateKey(pem: key.pkcs8PEM()).publicKey.modulus == key.publicKey.modulus)
    }

    /// Replicas on different versions of the mock must derive the same keys from one scenario,
    /// so a change to the derivation has to fail here rather than ship.
    @Test func theDerivationGivesItsKnownAnswer() throws {
        let modulus = try Self.oauth.get().publicKey.modulus
        #expect(SHA256.hexHash(modulus) == "5ebff000bef3d77cdf0daf37fc36f5d48ad7df6ac0bc4d6b26e8c81fbe76770a")
    }

    /// Half of 2050 bits is not a whole number of bytes: the candidates are cut to 1025 bits.
    @Test func aSizeOfNoWholeBytesPerPrimeGivesExactlyThatSize() throws {
        let key = try RSAPrivateKey.derived(fromSeed: Self.seed, label: "oauth", bits: 2050)
        #expect(key.bits == 2050)
        try key.key.validate()
        #expect(SHA256.hexHash(key.publicKey.modulus) == "50557a92c63bfe5c1b95e21f4ea44b7ef4f7ddde34dfc31ba8a881d5ee30b285")
    }

    @Test func refusesSizesItCannotOrShouldNotMake() {
        for bits in [1024, 2047, 2049, 8194] {
            let error = #expect(throws: CryptoError.self) { try RSAPrivateKey.derived(fromSeed: Self.seed, label: "oauth", bits: bits) }
            #expect(error?.operation == "RSA key derivation")
        }
    }
}
