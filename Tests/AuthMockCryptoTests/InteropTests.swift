import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import AuthMockCrypto

/// Tokens cross the boundary both ways with real peers: the openssl command line, PyJWT and
/// atlassian-jwt (from Tests/Interop/requirements.txt, which scripts/test.sh installs when python3 lacks them).
@Suite(.serialized) struct InteropTests {
    static let script = repositoryRoot.appendingPathComponent("Tests/AuthMockCryptoTests/Fixtures/pyjwt_interop.py").path

    @Test func opensslVerifiesOurRS256Signature() throws {
        let folder = try makeTemporaryDirectory()
        let message = Array("header.payload".utf8)
        try Data(message).write(to: folder.appendingPathComponent("message"))
        try Data(try TestKeys.rsa.signRS256(message)).write(to: folder.appendingPathComponent("signature"))
        try TestKeys.rsa.publicKey.spkiPEM().write(to: folder.appendingPathComponent("public.pem"), atomically: true, encoding: .utf8)
        let result = try runProcess("openssl", ["dgst", "-sha256", "-verify", folder.appendingPathComponent("public.pem").path,
                                                "-signature", folder.appendingPathComponent("signature").path,
                                                folder.appendingPathComponent("message").path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Verified OK"))
    }

    @Test func pyJWTVerifiesOurTokens() throws {
        try requirePythonModules(["jwt", "atlassian_jwt"])
        let folder = try makeTemporaryDirectory()
        let now = Int(Date().timeIntervalSince1970)
        let claims = JSONObject([("iss", "https://auth.atlassian.com"), ("aud", "cl-1"), ("sub", "5b10ac8d82e05b22cc7d4ef5"),
                                 ("iat", .int(now)), ("exp", .int(now + 300)), ("scope", "read:me offline_access")])

        let pemFile = folder.appendingPathComponent("public.pem")
        try TestKeys.rsa.publicKey.spkiPEM().write(to: pemFile, atomically: true, encoding: .utf8)
        let rs = try runProcess("python3", [Self.script, "verify", "RS256", pemFile.path, try JWT.encode(claims: claims, key: TestKeys.signer), "cl-1"])
        #expect(rs.status == 0, "PyJWT refused our RS256 token: \(rs.stdout)\(rs.stderr)")
        let decoded = try JSONValue.parse(rs.stdout)
        #expect(decoded["header"]?["kid"]?.stringValue == TestKeys.signer.keyID)
        #expect(decoded["claims"]?["scope"] == "read:me offline_access")

        let secretFile = folder.appendingPathComponent("secret")
        try "a-shared-secret-of-32-bytes-min!".write(to: secretFile, atomically: true, encoding: .utf8)
        let hs = try runProcess("python3", [Self.script, "verify", "HS256", secretFile.path,
                                            try JWT.encode(claims: claims, key: HMACKey(secret: "a-shared-secret-of-32-bytes-min!"))])
        #expect(hs.status == 0, "PyJWT refused our HS256 token: \(hs.stdout)\(hs.stderr)")

        // And PyJWT refuses what it should: our token under a different secret.
        try "another-secret".write(to: secretFile, atomically: true, encoding: .utf8)
        let bad = try runProcess("python3", [Self.script, "verify", "HS256", secretFile.path,
                                             try JWT.encode(claims: claims, key: HMACKey(secret: "a-shared-secret-of-32-bytes-min!"))])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("InvalidSignatureError"))
    }

    @Test func tokensMadeByPyJWTAndAtlassianJWTVerifyWithOurs() throws {
        try requirePythonModules(["jwt", "atlassian_jwt"])
        let made = try runProcess("python3", [Self.script, "make"])
        try #require(made.status == 0, "pyjwt_interop.py make failed: \(made.stderr)")
        let tokens = try JSONValue.parse(made.stdout)
        let now = Date().timeIntervalSince1970

        let hs = try JWT.decode(tokens["hs256"]!["token"]!.stringValue!)
        try hs.verifySignature(using: HMACKey(secret: tokens["hs256"]!["secret"]!.stringValue!), allowing: [.hs256])
        try hs.validateClaims(JWTClaimChecks(now: now, requiredClaims: ["exp"], issuers: ["pyjwt"], audience: "cl-1"))

        let rs = try JWT.decode(tokens["rs256"]!["token"]!.stringValue!)
        let publicKey = try RSAPublicKey(pem: tokens["rs256"]!["publicKeyPEM"]!.stringValue!)
        try rs.verifySignature(using: RS256VerificationKey(publicKey, keyID: "py-key"), allowing: [.rs256])
        try rs.validateClaims(JWTClaimChecks(now: now, audience: "cl-1"))

        let connect = tokens["connect"]!
        let jwt = try JWT.decode(connect["token"]!.stringValue!)
        try jwt.verifySignature(using: HMACKey(secret: connect["secret"]!.stringValue!), allowing: [.hs256])
        try jwt.validateClaims(JWTClaimChecks(now: now, requiredClaims: ["exp", "qsh"], issuers: ["ck-acme"]))
        let relative = connect["relative"]!.stringValue!
        #expect(jwt.claims["qsh"]?.stringValue == QueryStringHash.hash(method: "GET", url: "/wiki" + relative, basePath: "/wiki"))
    }
}
