import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Minting tokens without the OAuth dance: over the admin API and in Swift.
@Suite struct TokenMintingTests {
    static func mint(_ mock: MockConfluence, _ body: String) throws -> (status: Int, json: JSONValue?) {
        try AdminAPITests.call(mock, "POST", "/__admin/tokens", body: body)
    }

    /// PyJWT verifies a minted token with the key it fetches from the mock's JWKS URL.
    @Test func mintedTokensVerifyWithPyJWTAgainstTheJWKS() throws {
        try requirePythonModules(["jwt"])
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let (status, json) = try Self.mint(mock, #"{"user": "alice@acme.test", "client": "acme-sync-client", "scopes": ["read:me", "read:page:confluence"]}"#)
        #expect(status == 200)
        #expect(json?["token_type"] == "Bearer" && json?["expires_in"] == 3600 && json?["scope"] == "read:me read:page:confluence")
        #expect(json?["refresh_token"] == nil, "no offline_access, no refresh token")
        let token = try #require(json?["access_token"]?.stringValue)
        let script = """
        import json, sys, jwt
        key = jwt.PyJWKClient(sys.argv[2]).get_signing_key_from_jwt(sys.argv[1])
        claims = jwt.decode(sys.argv[1], key.key, algorithms=["RS256"], audience="acme-sync-client", issuer="https://auth.atlassian.com")
        print(json.dumps({"header": jwt.get_unverified_header(sys.argv[1]), "claims": claims}))
        """
        let verified = try runProcess("python3", ["-c", script, token, "\(mock.baseURLString)/.well-known/jwks.json"])
        #expect(verified.status == 0, "\(verified.stderr)")
        let decoded = try JSONValue.parse(verified.stdout)
        #expect(decoded["header"]?["alg"] == "RS256" && decoded["header"]?["kid"] != nil)
        let claims = decoded["claims"]
        #expect(claims?["sub"] == "5b10ac8d82e05b22cc7d4ef5")
        #expect(claims?["jti"]?.stringValue?.isEmpty == false && claims?["nbf"] == claims?["iat"])
        #expect(claims?["client_id"] == "acme-sync-client")
        #expect(claims?["scope"] == "read:me read:page:confluence")
        #expect(claims?["https://id.atlassian.com/atl_token_type"] == "ACCESS")
        #expect(claims?["https://atlassian.com/emailDomain"] == "acme.test")
        #expect((claims?["exp"]?.intValue ?? 0) - (claims?["iat"]?.intValue ?? 0) == 3600)
    }

    @Test func offlineAddsARefreshToken() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let response = try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: ["read:me"], offline: true))
        #expect(response.scope == "read:me offline_access")
        #expect((response.refreshToken?.count ?? 0) >= 43)
        let defaults = try mock.mintToken(TokenRequest(user: "5b10ac8d82e05b22cc7d4ef5", client: "acme-sync-client"))
        #expect(defaults.scope == Scenario.bundledDefault.oauthClients[0].scopes.joined(separator: " "))
        #expect(defaults.refreshToken != nil, "the client's default scopes include offline_access")
    }

    @Test func badRequestsListEveryProblem() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let (status, json) = try Self.mint(mock, #"{"user": "alice@acme.test", "client": "acme-sync-client", "scopes": ["read:me", "manage:confluence-configuration"], "sites": ["globex"]}"#)
        #expect(status == 400)
        #expect(json?["details"] == [
            ["path": "scopes[1]", "message": "scope \"manage:confluence-configuration\" is not enabled for client \"acme-sync-client\""],
            ["path": "sites[0]", "message": "unknown site \"globex\""],
        ])
        let unknown = try Self.mint(mock, #"{"user": "mallory", "client": "nobody"}"#).json?["details"]?.arrayValue?.compactMap { $0["path"]?.stringValue }
        #expect(unknown == ["user", "client"])
        #expect(try Self.mint(mock, #"{"user": "alice@acme.test"}"#).json?["details"] == [["path": "$", "message": "missing required key \"client\""]])
    }

    /// Expiry reads the scenario clock: advancing it expires a token at exactly its lifetime.
    @Test func clockAdvanceExpiresAToken() throws {
        let mock = try MockConfluence.start(scenario: Scenario(clock: ClockSettings(start: 1_767_225_600, frozen: true),
                                                               sites: Scenario.bundledDefault.sites, users: Scenario.bundledDefault.users,
                                                               oauthClients: Scenario.bundledDefault.oauthClients))
        defer { mock.stop() }
        let token = try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", expiresIn: 60)).accessToken
        guard case .valid(let grant) = mock.state.accessTokenStatus(token) else { Issue.record("a fresh token is valid"); return }
        #expect(grant.sites == ["acme"] && grant.expiresAt == 1_767_225_660)
        mock.advanceClock(by: .seconds(59))
        #expect(mock.state.accessTokenStatus(token) == .valid(grant))
        _ = try AdminAPITests.call(mock, "POST", "/__admin/clock", body: #"{"advanceSeconds": 1}"#)
        #expect(mock.state.accessTokenStatus(token) == .expired(grant))
        mock.reset()
        #expect(mock.state.accessTokenStatus(token) == .unknown, "reset forgets issued tokens")
    }

    @Test func tokensAreNotSharedBetweenMocks() throws {
        let a = try MockConfluence.start(), b = try MockConfluence.start()
        defer { a.stop(); b.stop() }
        let token = try a.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client")).accessToken
        #expect(b.state.accessTokenStatus(token) == .unknown)
    }

    /// A minted offline token belongs to its refresh family: revoking the family revokes it.
    @Test func mintedTokensJoinTheirRefreshFamily() throws {
        let mock = try MockConfluence.start(scenario: Scenario(clock: ClockSettings(start: 1_767_225_600, frozen: true),
                                                               sites: Scenario.bundledDefault.sites, users: Scenario.bundledDefault.users,
                                                               oauthClients: Scenario.bundledDefault.oauthClients))
        defer { mock.stop() }
        let minted = try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: ["read:page:confluence"], offline: true))
        let refresh = ["grant_type": "refresh_token", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret", "refresh_token": minted.refreshToken!]
        #expect(try OAuthFlowTests.token(mock, refresh).status == 200)
        mock.advanceClock(by: .seconds(601))
        #expect(try OAuthFlowTests.token(mock, refresh).status == 403, "reuse after the interval revokes the family")
        #expect(mock.state.accessTokenStatus(minted.accessToken) == .unknown, "the minted access token went with it")
    }
}

/// A user removing an app's access: every token that user granted that client stops working, and
/// nothing else does.
@Suite struct RevocationTests {
    @Test func revokingAUsersGrantToAClientEndsItsTokensOnly() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let alices = try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: ["read:page:confluence", "offline_access"]))
        let rotated = try OAuthFlowTests.token(mock, ["grant_type": "refresh_token", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret",
                                                      "refresh_token": try #require(alices.refreshToken)]).json
        let bobs = try mock.mintToken(TokenRequest(user: "bob@acme.test", client: "acme-sync-client", scopes: ["read:page:confluence"]))
        let pendingCode = try OAuthFlowTests.codeGrant(mock)  // alice's, not yet exchanged

        let answer = try AdminAPITests.call(mock, "POST", "/__admin/tokens/revoke", body: #"{"user":"alice@acme.test","client":"acme-sync-client"}"#)
        #expect(answer.status == 200 && answer.json == ["revoked": ["accessTokens": 2, "refreshTokens": 2, "codes": 1]])

        let page = "\(OAuthGatewayTests.gateway)/wiki/api/v2/pages/1001"
        #expect(try OAuthGatewayTests.call(mock, page, token: alices.accessToken).status == 401)
        #expect(try OAuthGatewayTests.call(mock, page, token: try #require(rotated?["access_token"]?.stringValue)).status == 401)
        let refresh = try OAuthFlowTests.token(mock, ["grant_type": "refresh_token", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret",
                                                      "refresh_token": try #require(rotated?["refresh_token"]?.stringValue)])
        #expect(refresh.status == 403 && refresh.json == ["error": "invalid_grant", "error_description": "Unknown or invalid refresh token."])
        #expect(try OAuthFlowTests.token(mock, pendingCode).json?["error"] == "invalid_grant", "the pending code is gone too")
        #expect(try OAuthGatewayTests.call(mock, page, token: bobs.accessToken).status == 200, "Bob's grant is untouched")

        #expect(try mock.revokeTokens(RevocationRequest(client: "acme-sync-client")) == Revocation(accessTokens: 1, refreshTokens: 0, codes: 0))
        #expect(try OAuthGatewayTests.call(mock, page, token: bobs.accessToken).status == 401)
    }

    @Test func aRevocationNamesWhatItCannotFind() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let nobody = try AdminAPITests.call(mock, "POST", "/__admin/tokens/revoke", body: #"{"user":"mallory@acme.test","client":"nope"}"#)
        #expect(nobody.status == 400)
        #expect(nobody.json?["error"] == "cannot revoke tokens")
        let details = nobody.json?["details"]?.arrayValue ?? []
        #expect(details.map { $0["path"] } == ["user", "client"])
        #expect(details.first?["message"]?.stringValue?.hasPrefix("unknown user \"mallory@acme.test\"") == true)
        #expect(try AdminAPITests.call(mock, "POST", "/__admin/tokens/revoke", body: "{}").status == 400, "neither user nor client")
        #expect(try AdminAPITests.call(mock, "POST", "/__admin/tokens/revoke", body: #"{"user":"alice@acme.test","extra":1}"#).status == 400)
        #expect(throws: TokenRequestError.self) { try mock.revokeTokens(RevocationRequest()) }
    }
}
