import AuthMockFormats
import Testing
@testable import AuthMockCrypto

@Suite struct JWTTests {
    static let now = 1_767_225_600.0  // 2026-01-01T00:00:00Z

    static func claims(_ extra: (String, JSONValue)...) -> JSONObject {
        var claims = JSONObject([("iss", "https://auth.atlassian.com"), ("sub", "5b10ac8d82e05b22cc7d4ef5"),
                                 ("aud", "cl-1"), ("iat", .int(Int(now))), ("exp", .int(Int(now) + 3600))])
        for (key, value) in extra { claims[key] = value }
        return claims
    }

    @Test func rs256TokenCarriesKidAndVerifies() throws {
        let token = try JWT.encode(claims: Self.claims(), key: TestKeys.signer)
        let jwt = try JWT.decode(token)
        #expect(jwt.header.keys == ["alg", "kid", "typ"])
        #expect(jwt.keyID == TestKeys.signer.keyID)
        try jwt.verifySignature(using: TestKeys.signer.verificationKey, allowing: [.rs256])
        try jwt.validateClaims(JWTClaimChecks(now: Self.now, requiredClaims: ["exp", "sub"],
                                              issuers: ["https://auth.atlassian.com"], audience: "cl-1"))
        #expect(jwt.claims["sub"] == "5b10ac8d82e05b22cc7d4ef5")
    }

    @Test func hs256ConnectStyleHeader() throws {
        let key = HMACKey(secret: "a-shared-secret-of-32-bytes-min!")
        let token = try JWT.encode(claims: Self.claims(), key: key)
        #expect(token.hasPrefix(Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "."))
        try JWT.decode(token).verifySignature(using: key, allowing: [.hs256])
    }

    @Test func picksTheKeyNamedByKid() throws {
        let other = RS256SigningKey(TestKeys.otherRSA)
        let token = try JWT.encode(claims: Self.claims(), key: other)
        let jwt = try JWT.decode(token)
        try jwt.verifySignature(using: [TestKeys.signer.verificationKey, other.verificationKey], allowing: [.rs256])
        #expect(throws: JWTError.self) { try jwt.verifySignature(using: [TestKeys.signer.verificationKey], allowing: [.rs256]) }
    }

    @Test func expiryHonoursLeewayAtTheBoundary() throws {
        let jwt = try JWT.decode(try JWT.encode(claims: Self.claims(("exp", .int(Int(Self.now)))), key: TestKeys.signer))
        #expect(throws: JWTError.self) { try jwt.validateClaims(JWTClaimChecks(now: Self.now)) }
        try jwt.validateClaims(JWTClaimChecks(now: Self.now, leeway: 30))
        #expect(throws: JWTError.self) { try jwt.validateClaims(JWTClaimChecks(now: Self.now + 30, leeway: 30)) }
    }

    @Test func notBeforeAndIssuedAtInTheFuture() throws {
        let early = try JWT.decode(try JWT.encode(claims: Self.claims(("nbf", .int(Int(Self.now) + 60))), key: TestKeys.signer))
        #expect(throws: JWTError.Code.notYetValid) { try Self.code { try early.validateClaims(JWTClaimChecks(now: Self.now)) } }
        try early.validateClaims(JWTClaimChecks(now: Self.now, leeway: 60))
        let future = try JWT.decode(try JWT.encode(claims: Self.claims(("iat", .int(Int(Self.now) + 60))), key: TestKeys.signer))
        #expect(throws: JWTError.Code.issuedInFuture) { try Self.code { try future.validateClaims(JWTClaimChecks(now: Self.now)) } }
    }

    @Test func audienceMayBeAnArray() throws {
        let jwt = try JWT.decode(try JWT.encode(claims: Self.claims(("aud", ["ck-acme", "other"])), key: TestKeys.signer))
        try jwt.validateClaims(JWTClaimChecks(now: Self.now, audience: "ck-acme"))
        #expect(jwt.audiences == ["ck-acme", "other"])
    }

    /// Runs `body` and rethrows only the error's code, so tests can assert on which check failed.
    static func code(_ body: () throws -> Void) throws {
        do { try body() } catch let error as JWTError { throw error.code }
    }
}

extension JWTError.Code: Error {}
