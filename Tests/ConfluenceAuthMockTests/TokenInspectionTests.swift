import AuthMockCrypto
import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// `POST /__admin/tokens/inspect`: a token's kind, header and claims, signature and status.
@Suite struct TokenInspectionTests {
    static func inspect(_ mock: MockConfluence, _ token: String) throws -> JSONValue {
        let body = JSONValue.object(JSONObject([("token", .string(token))])).serialized
        let answer = try AdminAPITests.call(mock, "POST", "/__admin/tokens/inspect", body: body)
        #expect(answer.status == 200)
        return try #require(answer.json)
    }

    static func start() throws -> MockConfluence {
        var scenario = Scenario.bundledDefault
        scenario.clock = ClockSettings(start: 1_767_225_600, frozen: true)  // 2026-01-01T00:00:00Z
        return try MockConfluence.start(scenario: scenario)
    }

    @Test func anAccessTokenIsDecodedVerifiedAndFollowedThroughExpiry() throws {
        let mock = try Self.start()
        defer { mock.stop() }
        let minted = try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: ["read:page:confluence", "offline_access"]))
        let active = try Self.inspect(mock, minted.accessToken)
        #expect(active["kind"] == "oauth" && active["signature"] == "valid" && active["status"] == "active")
        #expect(active["header"]?["alg"] == "RS256" && active["claims"]?["sub"] == "5b10ac8d82e05b22cc7d4ef5")
        #expect(active["expiresAt"] == "2026-01-01T01:00:00Z" && active["family"]?.stringValue != nil)
        let refresh = try Self.inspect(mock, try #require(minted.refreshToken))
        #expect(refresh["kind"] == "oauth" && refresh["status"] == "active" && refresh["family"] == active["family"])
        #expect(refresh["signature"] == "none" && refresh["header"] == .object(JSONObject()))
        mock.advanceClock(by: .seconds(3600))
        #expect(try Self.inspect(mock, minted.accessToken)["status"] == "expired")
    }

    @Test func rotationAndRevocationAreTold() throws {
        let mock = try Self.start()
        defer { mock.stop() }
        let grant = try OAuthFlowTests.codeGrant(mock)
        let first = try OAuthFlowTests.token(mock, grant).json
        let refresh = try #require(first?["refresh_token"]?.stringValue), access = try #require(first?["access_token"]?.stringValue)
        _ = try OAuthFlowTests.token(mock, ["grant_type": "refresh_token", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret", "refresh_token": refresh])
        #expect(try Self.inspect(mock, refresh)["status"] == "rotated")
        try mock.revokeTokens(RevocationRequest(user: "alice@acme.test", client: "acme-sync-client"))
        let revoked = try Self.inspect(mock, access)
        #expect(revoked["status"] == "revoked" && revoked["kind"] == "oauth" && revoked["signature"] == "valid")
        #expect(try Self.inspect(mock, refresh)["status"] == "unknown", "a revoked family is forgotten")
    }

    @Test func otherKindsAreRecognised() throws {
        let mock = try Self.start()
        defer { mock.stop() }
        let connect = try Self.inspect(mock, try mock.connectJWT(ProductJWTRequest(app: "com.example.addon", site: "acme", url: "/wiki/rest/api/space")))
        #expect(connect["kind"] == "connect" && connect["signature"] == "valid" && connect["status"] == "active")
        let forged = try JWT.encode(claims: JSONObject([("iss", "com.example.addon"), ("exp", .int(1_767_229_200))]), key: HMACKey(secret: "not-the-shared-secret-but-32-bytes!!"))
        #expect(try Self.inspect(mock, forged)["signature"] == "invalid")
        let forge = try mock.forgeToken(ForgeTokenRequest(app: ForgeTests.app, site: "acme", kind: .system))
        let app = try Self.inspect(mock, forge.token)
        #expect(app["kind"] == "forge-app" && app["signature"] == "valid" && app["status"] == "active")
        let stranger = try JWT.encode(claims: JSONObject([("iss", "https://auth.atlassian.com"), ("sub", "x")]),
                                      key: RS256SigningKey(try RSAPrivateKey.generate(), keyID: "someone-else"))
        let foreign = try Self.inspect(mock, stranger)
        #expect(foreign["kind"] == "oauth" && foreign["signature"] == "unknown-key" && foreign["status"] == "unknown")
    }

    @Test func aTamperedTokenOrAnyStringIsAnswered() throws {
        let mock = try Self.start()
        defer { mock.stop() }
        let token = try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: ["read:page:confluence"])).accessToken
        let tampered = String(token.dropLast(4)) + (token.hasSuffix("AAAA") ? "BBBB" : "AAAA")
        let inspected = try Self.inspect(mock, tampered)
        #expect(inspected["signature"] == "invalid" && inspected["status"] == "unknown")
        for text in ["hello", "", "a.b.c", "<script>"] {
            #expect(try Self.inspect(mock, text) == ["kind": "unknown", "header": [:], "claims": [:], "signature": "none", "status": "unknown",
                                                    "expiresAt": nil, "family": nil], "\(text)")
        }
        #expect(try AdminAPITests.call(mock, "POST", "/__admin/tokens/inspect", body: #"{"tok":"x"}"#).status == 400)
    }
}
