import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// `authorizationCode` and `oauthTokens`: the browser's part of 3LO, done over the mock's own
/// listener, for each consent mode; and the signed-in-user cookie it relies on.
@Suite struct AuthorizationHelperTests {
    static let alice = "5b10ac8d82e05b22cc7d4ef5", bob = "5b10a2844c20165700ede21g"

    @Test func approveModeReturnsACodeTheTokenEndpointExchanges() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let code = try mock.authorizationCode(client: "acme-sync-client", scopes: ["read:page:confluence"], state: "xyz")
        let exchanged = try OAuthFlowTests.token(mock, ["grant_type": "authorization_code", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret",
                                                        "code": code, "redirect_uri": OAuthFlowTests.callback])
        #expect(exchanged.status == 200 && exchanged.json?["scope"] == "read:page:confluence")
        let authorize = try #require(mock.requests(JournalFilter(path: "/authorize")).first)
        #expect(authorize.auth.principal == Self.alice && authorize.auth.decision == .allowed, "the client's consent user, as a browser's")
        #expect(authorize.query.contains { $0.name == "state" && $0.value == "xyz" })
    }

    @Test func theSignedInUserConsentsAndTheTokensActAsThem() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let tokens = try mock.oauthTokens(client: "acme-sync-client", user: "bob@acme.test", scopes: ["read:me", "offline_access"])
        #expect(tokens.scope == "read:me offline_access" && tokens.refreshToken != nil && tokens.expiresIn == 3600)
        let me = try OAuthGatewayTests.call(mock, "/me", token: tokens.accessToken)
        #expect(me.status == 200 && me.json?["account_id"]?.stringValue == Self.bob)
        #expect(mock.requests().map(\.path) == ["/authorize", "/oauth/token", "/me"], "the browser's and the client's requests, journaled")
        #expect(mock.requests(JournalFilter(path: "/authorize", principal: "bob@acme.test")).count == 1)
    }

    @Test func pageModeAcceptsTheConsentPageForThePickedSites() throws {
        let mock = try MockConfluence.start(scenario: ConsentPageTests.pageScenario())
        defer { mock.stop() }
        let tokens = try mock.oauthTokens(client: "acme-sync-client", scopes: ["read:page:confluence"], sites: ["acme"])
        #expect(try OAuthGatewayTests.call(mock, "\(OAuthGatewayTests.gateway)/wiki/api/v2/pages/1001", token: tokens.accessToken).status == 200)
        let globex = "/ex/confluence/b7f3c2d1-0000-4000-8000-000000000002/wiki/api/v2/pages/1001"
        #expect(try OAuthGatewayTests.call(mock, globex, token: tokens.accessToken).status == 401, "globex was not picked")
        #expect(mock.requests().map(\.path).prefix(3) == ["/authorize", "/authorize/consent", "/oauth/token"])

        let both = try mock.oauthTokens(client: "acme-sync-client", scopes: ["read:page:confluence"])
        #expect(try OAuthGatewayTests.call(mock, globex, token: both.accessToken).status == 404, "every offered site by default: globex has no page 1001")
        #expect(throws: TokenRequestError.self) { try mock.authorizationCode(client: "acme-sync-client", sites: ["initech"]) }
    }

    @Test func refusalsAndMistakesAreNamed() throws {
        let mock = try MockConfluence.start(scenario: try Scenario.load(contentsOfFile: repositoryRoot.appendingPathComponent("scenarios/oauth-consent.json").path))
        defer { mock.stop() }
        func message(_ call: () throws(TokenRequestError) -> String) -> String {
            do { return "no error: " + (try call()) } catch { return error.description }
        }
        #expect(message { () throws(TokenRequestError) in try mock.authorizationCode(client: "denied-client") }
                == "authorize: the authorization server refused: access_denied (User did not authorize the request)")
        #expect(message { () throws(TokenRequestError) in try mock.authorizationCode(client: "nobody") } == "client: unknown OAuth client \"nobody\"")
        #expect(message { () throws(TokenRequestError) in try mock.authorizationCode(client: "consent-page-client", user: "zed@acme.test") }
                == "user: unknown user \"zed@acme.test\"; expected an accountId or email of the scenario's users")
        #expect(message { () throws(TokenRequestError) in try mock.authorizationCode(client: "consent-page-client", scopes: ["manage:confluence-configuration"]) }
                .hasPrefix("authorize: the authorization server refused: invalid_scope"))
        #expect(try !mock.authorizationCode(client: "consent-page-client").isEmpty)
        #expect(mock.requests().last?.path == "/authorize/consent" && mock.requests().last?.auth.decision == .allowed, "the page was accepted")

        let approving = try MockConfluence.start()
        defer { approving.stop() }
        #expect(message { () throws(TokenRequestError) in try approving.authorizationCode(client: "acme-sync-client", sites: ["globex"]) }
                == "sites: client \"acme-sync-client\" approves at once, granting acme; sites are picked on a consent page (mode page)")
    }

    /// The cookie, as any browser would send it: an unknown user is an error page, never a code.
    @Test func theSignedInUserCookieOverHTTP() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        func visit(cookie: String) throws -> String {
            try runProcess("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-H", "Cookie: theme=dark; \(cookie)",
                                    OAuthFlowTests.authorizeURL(mock)]).stdout
        }
        #expect(try visit(cookie: "confluence-auth-mock-user=bob%40acme.test").hasPrefix("302 \(OAuthFlowTests.callback)?code="))
        #expect(mock.requests().last?.auth.principal == Self.bob)
        #expect(try visit(cookie: "confluence-auth-mock-user=zed@acme.test") == "400 ")
        #expect(mock.requests().last?.auth.reason == "unknown signed-in user")
    }
}
