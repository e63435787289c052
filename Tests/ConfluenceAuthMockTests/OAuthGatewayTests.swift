import AuthMockCrypto
import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// OAuth access tokens at the API gateway: validity, site, scope gate, then the user's permissions.
@Suite struct OAuthGatewayTests {
    static let gateway = "/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674"

    static func call(_ mock: MockConfluence, _ path: String, token: String, method: String = "GET", json: String? = nil) throws -> ReadResourcesTests.Answer {
        guard let json else { return try ReadResourcesTests.get(mock, path, headers: ["Authorization: Bearer \(token)"]) }
        let output = try runProcess("curl", ["-sS", "-X", method, "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
                                             "--data-binary", json, "-o", "-", "-w", "\n%{http_code}", "\(mock.baseURLString)\(path)"]).stdout
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        return ReadResourcesTests.Answer(status: Int(lines.last ?? "") ?? 0, headers: [:], body: lines.dropLast().joined(separator: "\n"))
    }

    static func token(_ mock: MockConfluence, user: String = "alice@acme.test", scopes: [String], expiresIn: Int? = nil) throws -> String {
        try mock.mintToken(TokenRequest(user: user, client: "acme-sync-client", scopes: scopes, expiresIn: expiresIn)).accessToken
    }

    @Test func aValidTokenActsAsItsUserWithinItsScopes() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let token = try Self.token(mock, scopes: ["read:page:confluence", "read:confluence-content.all"])
        let page = try Self.call(mock, "\(Self.gateway)/wiki/api/v2/pages/1001", token: token)
        #expect(page.status == 200 && page.json?["title"] == "Runbook")
        #expect(try Self.call(mock, "\(Self.gateway)/wiki/rest/api/content/1001", token: token).status == 200)
        let record = mock.requests(JournalFilter(path: "\(Self.gateway)/wiki/api/v2/pages/1001")).first?.auth
        #expect(record?.mechanism == .oauth && record?.principal == "5b10ac8d82e05b22cc7d4ef5" && record?.client == "acme-sync-client")
        #expect(record?.decision == .allowed)
        #expect(record?.scopesHeld == ["read:page:confluence", "read:confluence-content.all"])
    }

    /// The scope gate runs before routing; classic scopes never satisfy v2 routes (docs/reference.md §2.3).
    @Test func scopeGate() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let classic = try Self.token(mock, scopes: ["read:confluence-content.all", "read:confluence-space.summary"])
        let v2 = try Self.call(mock, "\(Self.gateway)/wiki/api/v2/pages/1001", token: classic)
        #expect(v2.status == 401 && v2.body == #"{"code":401,"message":"Unauthorized; scope does not match"}"#)
        #expect(try Self.call(mock, "\(Self.gateway)/wiki/rest/api/space/ENG", token: classic).status == 200, "classic scopes open v1")
        let identityOnly = try Self.token(mock, scopes: ["read:me"])
        #expect(try Self.call(mock, "\(Self.gateway)/wiki/api/v2/pages/999999", token: identityOnly).body.contains("scope does not match"),
                "the gate answers before the route looks for the page")
        let record = mock.requests(JournalFilter(path: "\(Self.gateway)/wiki/api/v2/pages/1001")).first?.auth
        #expect(record?.decision == .denied && record?.reason == "scope does not match: missing read:page:confluence")
    }

    /// A cloud id no site has: the gateway's own 404 shape, never the admin API's; the journal says why.
    @Test func anUnknownCloudIdGetsTheGatewaysNotFound() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let token = try Self.token(mock, scopes: ["read:page:confluence"])
        let path = "/ex/confluence/00000000-0000-4000-8000-000000000000/wiki/api/v2/pages/1001"
        let answer = try Self.call(mock, path, token: token)
        #expect(answer.status == 404 && answer.body == #"{"code":404,"message":"Not Found"}"#)
        #expect(mock.requests(JournalFilter(path: path)).first?.auth.reason?.hasPrefix("no site for \(path)") == true)
        let named = try ReadResourcesTests.get(mock, "/site/nowhere/wiki/api/v2/pages/1001")
        #expect(named.status == 404 && named.json?["error"] != nil, "the mock's own /site/{name} door keeps the admin shape")
    }

    @Test func expiredForgedAndForeignTokensAreUnauthorized() throws {
        var scenario = Scenario.bundledDefault
        scenario.sites.append(Site(name: "globex", cloudId: "b7f3c2d1-0000-4000-8000-000000000002", url: "https://globex.atlassian.net",
                                   spaces: [Space(key: "OPS", name: "Ops", id: "5")]))
        scenario.clock = ClockSettings(start: 1_767_225_600, frozen: true)
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let unauthorized = #"{"code":401,"message":"Unauthorized"}"#
        let token = try Self.token(mock, scopes: ["read:page:confluence"], expiresIn: 60)
        #expect(try Self.call(mock, "\(Self.gateway)/wiki/api/v2/pages/1001", token: token).status == 200)
        let foreign = try Self.call(mock, "/ex/confluence/b7f3c2d1-0000-4000-8000-000000000002/wiki/api/v2/pages", token: token)
        #expect(foreign.status == 401 && foreign.body == unauthorized, "globex is not in the grant")
        let missing = try ReadResourcesTests.get(mock, "\(Self.gateway)/wiki/api/v2/pages/1001")
        #expect(missing.status == 401 && missing.body == unauthorized, "no Authorization header")
        for malformed in ["not-a-jwt", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."] {
            #expect(try Self.call(mock, "\(Self.gateway)/wiki/api/v2/pages/1001", token: malformed).body == unauthorized, "malformed: \(malformed)")
        }
        var forged = Array(token)
        forged[forged.count - 5] = forged[forged.count - 5] == "A" ? "B" : "A"
        #expect(try Self.call(mock, "\(Self.gateway)/wiki/api/v2/pages/1001", token: String(forged)).body == unauthorized)
        mock.advanceClock(by: .seconds(60))
        #expect(try Self.call(mock, "\(Self.gateway)/wiki/api/v2/pages/1001", token: token).body == unauthorized)
        #expect(mock.requests(JournalFilter(path: "\(Self.gateway)/wiki/api/v2/pages/1001")).last?.auth.reason == "access token expired")
    }

    @Test func theSiteDomainRefusesOAuthTokensAndResetForgetsThem() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let token = try Self.token(mock, scopes: ["read:page:confluence"])
        let onSite = try Self.call(mock, "/site/acme/wiki/api/v2/pages/1001", token: token)
        #expect(onSite.status == 401 && onSite.body.contains("<title>HTTP Status 401 – Unauthorized</title>"), "the site's Tomcat page (docs/reference.md §1.12)")
        mock.reset()
        #expect(try Self.call(mock, "\(Self.gateway)/wiki/api/v2/pages/1001", token: token).status == 401)
    }

    @Test func theUsersPermissionsStillApply() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let bobs = try Self.token(mock, user: "bob@acme.test", scopes: ["write:confluence-content", "read:page:confluence"])
        let create = try Self.call(mock, "\(Self.gateway)/wiki/rest/api/content", token: bobs, method: "POST",
                                   json: #"{"type":"page","title":"Via OAuth","space":{"key":"ENG"}}"#)
        #expect(create.status == 403 && create.body.contains("PermissionException"))
        #expect(try Self.call(mock, "\(Self.gateway)/wiki/api/v2/pages/2001", token: bobs).status == 404, "Bob cannot see HR")
    }
}

/// api.atlassian.com routes a 3LO token calls about itself.
@Suite struct PlatformAPITests {
    @Test func accessibleResourcesListsTheGrantedSitesAndScopes() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let token = try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client",
                                                    scopes: ["read:confluence-content.all", "read:me", "offline_access"])).accessToken
        let answer = try ReadResourcesTests.get(mock, "/oauth/token/accessible-resources", headers: ["Authorization: Bearer \(token)"])
        #expect(answer.status == 200)
        #expect(answer.json == [["id": "a436116f-02ce-4520-8fbb-7301462a1674", "name": "acme", "url": "https://acme.atlassian.net",
                                 "scopes": ["read:confluence-content.all"],
                                 "avatarUrl": "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/flag.png"]])
        let none = try ReadResourcesTests.get(mock, "/oauth/token/accessible-resources")
        #expect(none.status == 401 && none.body == #"{"code":401,"message":"Unauthorized"}"#)
    }

    /// RFC 8414 / OIDC discovery: one document at both addresses, naming the mock's own endpoints
    /// and the issuer its tokens carry.
    @Test func metadataDocumentsDescribeTheMock() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let metadata = try ReadResourcesTests.get(mock, "/.well-known/oauth-authorization-server")
        #expect(metadata.status == 200)
        #expect(try ReadResourcesTests.get(mock, "/.well-known/openid-configuration").json == metadata.json)
        let document = try #require(metadata.json)
        #expect(document["authorization_endpoint"]?.stringValue == "\(mock.baseURLString)/authorize")
        #expect(document["token_endpoint"]?.stringValue == "\(mock.baseURLString)/oauth/token")
        #expect(document["response_types_supported"] == ["code"] && document["code_challenge_methods_supported"] == nil, "no PKCE in 3LO")
        #expect(document["scopes_supported"]?.arrayValue?.contains("read:page:confluence") == true)
        let token = try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: ["read:me"])).accessToken
        #expect(try JWT.decode(token).claims["iss"] == document["issuer"], "tokens carry the advertised issuer")
        let jwksURL = try #require(document["jwks_uri"]?.stringValue)
        let jwks = try ReadResourcesTests.get(mock, String(jwksURL.dropFirst(mock.baseURLString.count))).json
        #expect(jwks?["keys"]?.arrayValue?.first?["kid"]?.stringValue == (try JWT.decode(token).keyID))
    }

    @Test func meNeedsReadMe() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let withReadMe = try mock.mintToken(TokenRequest(user: "bob@acme.test", client: "acme-sync-client", scopes: ["read:me"])).accessToken
        let me = try ReadResourcesTests.get(mock, "/me", headers: ["Authorization: Bearer \(withReadMe)"]).json
        #expect(me?["account_id"] == "5b10a2844c20165700ede21g" && me?["email"] == "bob@acme.test" && me?["name"] == "Bob Viewer")
        let without = try mock.mintToken(TokenRequest(user: "bob@acme.test", client: "acme-sync-client", scopes: ["read:page:confluence"])).accessToken
        let refused = try ReadResourcesTests.get(mock, "/me", headers: ["Authorization: Bearer \(without)"])
        #expect(refused.status == 401 && refused.body == #"{"code":401,"message":"Unauthorized; scope does not match"}"#)
        let record = mock.requests(JournalFilter(path: "/me")).last?.auth
        #expect(record?.mechanism == .oauth && record?.decision == .denied && record?.scopesRequired == ["read:me"])
    }
}
