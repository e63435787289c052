import Foundation
import Testing
import TestSupport
@testable import AuthMockCrypto

@Suite struct RSAKeyTests {
    @Test func generatesA2048BitKeyThatSignsAndVerifies() throws {
        let key = TestKeys.rsa
        #expect(key.bits == 2048)
        let message = Array("hello".utf8)
        let signature = try key.signRS256(message)
        #expect(signature.count == 256)
        #expect(key.publicKey.verifyRS256(signature: signature, message: message))
        #expect(!key.publicKey.verifyRS256(signature: signature, message: Array("hellO".utf8)))
        #expect(!TestKeys.otherRSA.publicKey.verifyRS256(signature: signature, message: message))
        #expect(!key.publicKey.verifyRS256(signature: signature.dropLast(), message: message))
    }

    @Test func pemRoundTripsInEveryFormat() throws {
        let key = TestKeys.rsa
        let pkcs8 = try key.pkcs8PEM()
        #expect(pkcs8.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let reread = try RSAPrivateKey(pem: pkcs8)
        #expect(reread.publicKey.modulus == key.publicKey.modulus)

        let spki = try key.publicKey.spkiPEM()
        #expect(spki.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        let pkcs1 = try key.publicKey.pkcs1PEM()
        #expect(pkcs1.hasPrefix("-----BEGIN RSA PUBLIC KEY-----\n"))
        for pem in [spki, pkcs1] {
            let publicKey = try RSAPublicKey(pem: pem)
            #expect(publicKey.modulus == key.publicKey.modulus)
            #expect(publicKey.exponent == [0x01, 0x00, 0x01])
        }
    }

    @Test func readsPKCS1PrivateKeysFromTheOpenSSLCommandLine() throws {
        let folder = try makeTemporaryDirectory()
        let path = folder.appendingPathComponent("key.pem").path
        let made = try runProcess("openssl", ["genrsa", "-traditional", "-out", path, "2048"])
        try #require(made.status == 0, "openssl genrsa: \(made.stderr)")
        let pem = try String(contentsOfFile: path, encoding: .utf8)
        #expect(pem.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        #expect(try RSAPrivateKey(pem: pem).bits == 2048)
    }

    @Test func refusesWeakAndWrongKeys() throws {
        let folder = try makeTemporaryDirectory()
        let path = folder.appendingPathComponent("weak.pem").path
        _ = try runProcess("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", path])
        let weak = try String(contentsOfFile: path, encoding: .utf8)
        #expect(throws: CryptoError.self) { try RSAPrivateKey(pem: weak) }
        #expect(throws: CryptoError.self) { try RSAPrivateKey.generate(bits: 1024) }
        #expect(throws: CryptoError.self) { try RSAPrivateKey(pem: "not a key") }
        // A private key offered where a public key belongs is refused, never silently accepted.
        #expect(throws: CryptoError.self) { try RSAPublicKey(pem: try TestKeys.rsa.pkcs8PEM()) }
        _ = try runProcess("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path])
        let ec = try String(contentsOfFile: path, encoding: .utf8)
        let error = #expect(throws: CryptoError.self) { try RSAPrivateKey(pem: ec) }
        #expect(error?.operation.contains("RSA") == true)
    }

    @Test func jwksPublishesTheKeyUnderItsThumbprint() throws {
        let jwk = JSONWebKey.publicJWK(of: TestKeys.rsa.publicKey)
        #expect(jwk["kid"]?.stringValue == TestKeys.signer.keyID)
        let set = JSONWebKey.keySet([jwk])
        #expect(set["keys"]?.arrayValue?.count == 1)
        let reread = try JSONWebKey.rsaPublicKey(from: jwk)
        #expect(reread.modulus == TestKeys.rsa.publicKey.modulus)
        var wrongType = jwk
        wrongType["kty"] = "EC"
        #expect(throws: CryptoError.self) { try JSONWebKey.rsaPublicKey(from: wrongType) }
    }
}

@Suite struct MultiPrimeKeyTests {
    /// A three-prime key signs RS256 that a verifier holding only n and e (and openssl) accepts.
    @Test func threePrimeSignaturesVerifyWithThePublicKeyAlone() throws {
        let key = try RSAPrivateKey.generate(primes: 3)
        let message = Array("three primes".utf8)
        let signature = try key.signRS256(message)
        let publicOnly = try RSAPublicKey(modulus: key.publicKey.modulus, exponent: key.publicKey.exponent)
        #expect(publicOnly.verifyRS256(signature: signature, message: message))
        let folder = try makeTemporaryDirectory()
        try Data(message).write(to: folder.appendingPathComponent("m"))
        try Data(signature).write(to: folder.appendingPathComponent("s"))
        try key.publicKey.spkiPEM().write(to: folder.appendingPathComponent("p.pem"), atomically: true, encoding: .utf8)
        let openssl = try runProcess("openssl", ["dgst", "-sha256", "-verify", folder.appendingPathComponent("p.pem").path,
                                                 "-signature", folder.appendingPathComponent("s").path, folder.appendingPathComponent("m").path])
        #expect(openssl.stdout.contains("Verified OK"))
    }
}
