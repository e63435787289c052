import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// What a mock holds stays bounded under traffic: expired codes, tokens and refresh families are
/// pruned (docs/reliability.md "Bounded state"), and what does not expire is capped.
@Suite struct BoundedStateTests {
    static let gateway = "/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674/wiki/api/v2/pages/1001"

    static func bearer(_ mock: MockConfluence, _ token: String) throws -> ReadResourcesTests.Answer {
        try ReadResourcesTests.get(mock, gateway, headers: ["Authorization: Bearer \(token)"])
    }

    @Test func expiredAccessTokensArePrunedAndStillAnsweredAsExpired() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let request = TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: ["read:page:confluence"], expiresIn: 60)
        let tokens = try (1...300).map { _ in try mock.mintToken(request).accessToken }
        let kept = try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: ["read:page:confluence"])).accessToken
        mock.state.prune()
        #expect(mock.state.withTokens { $0.counts.accessTokens } == 301, "nothing has expired yet")
        #expect(try Self.bearer(mock, tokens[0]).status == 200)

        mock.advanceClock(by: .seconds(61))
        mock.state.prune()
        #expect(mock.state.withTokens { $0.counts.accessTokens } == 1, "only the hour-long token is held")
        #expect(mock.state.withTokens { $0.counts.expiredGrants } == 300)
        let expired = try Self.bearer(mock, tokens[299])
        #expect(expired.status == 401 && mock.requests().last?.auth.reason == "access token expired", "answered as expired, not unknown")
        #expect(try Self.bearer(mock, kept).status == 200)
        let unknown = try Self.bearer(mock, "not-a-token-the-mock-issued")
        #expect(unknown.status == 401 && unknown.body == expired.body && mock.requests().last?.auth.reason == "unknown access token")
    }

    @Test func theServerPrunesOnItsOwnWithoutTraffic() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        _ = try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", expiresIn: 1))
        mock.advanceClock(by: .seconds(2))
        // The server's maintenance runs every few seconds (HTTPServerConfiguration.maintenanceInterval).
        let deadline = ContinuousClock.now + .seconds(15)
        while mock.state.withTokens({ $0.counts.accessTokens }) > 0 && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect(mock.state.withTokens { $0.counts.accessTokens } == 0)
    }

    @Test func inactiveRefreshFamiliesExpiredCodesAndOldRotationsAreDropped() throws {
        var scenario = Scenario.bundledDefault
        scenario.tokens.refreshTokenInactivity = 3_600
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        var refresh = try #require(try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", offline: true)).refreshToken)
        let fields = ["grant_type": "refresh_token", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret"]
        for _ in 1...(TokenStore.rotationsKept + 20) {
            let rotated = try OAuthFlowTests.token(mock, fields.merging(["refresh_token": refresh]) { $1 })
            refresh = try #require(rotated.json?["refresh_token"]?.stringValue)
        }
        mock.state.prune()
        #expect(mock.state.withTokens { $0.counts.refreshTokens } == TokenStore.rotationsKept, "the oldest rotations are let go")
        #expect(try OAuthFlowTests.token(mock, fields.merging(["refresh_token": refresh]) { $1 }).status == 200, "the newest still works")

        _ = try OAuthFlowTests.codeGrant(mock)  // a code left unexchanged
        #expect(mock.state.withTokens { $0.counts.codes } == 1)
        mock.advanceClock(by: .seconds(3_601))
        mock.state.prune()
        let counts = mock.state.withTokens { $0.counts }
        #expect(counts.refreshTokens == 0 && counts.codes == 0 && counts.accessTokens == 0)
        let late = try OAuthFlowTests.token(mock, fields.merging(["refresh_token": refresh]) { $1 })
        #expect(late.status == 403 && late.json?["error"] == "invalid_grant", "refused as an unused family always was")
    }

    @Test func unexpiredAccessTokensAreCappedOldestFirst() {
        var store = TokenStore(accessTokenCapacity: 5)
        let grant = AccessGrant(GrantTerms(accountId: "a", clientId: "c", scopes: [], sites: []), issuedAt: 0, expiresAt: 3_600)
        for index in 0..<5_000 { store.issue(grant, token: "token-\(index)") }
        #expect(store.counts.accessTokens == 5)
        #expect(store.status(of: "token-4994", now: 1) == .unknown && store.status(of: "token-4995", now: 1) == .valid(grant))
        store.revokeAccessTokens(["token-4999"])
        store.prune(now: 3_600, settings: TokenSettings())
        #expect(store.counts.accessTokens == 0 && store.counts.expiredGrants == 4)
        #expect(store.status(of: "token-4995", now: 3_600) == .expired(grant) && store.status(of: "token-4999", now: 3_600) == .unknown)
    }

    @Test func pendingConsentsAreCapped() {
        var store = TokenStore()
        let terms = GrantTerms(accountId: "a", clientId: "c", scopes: [], sites: [])
        for index in 0..<(TokenStore.consentCapacity + 5) {
            store.addConsent(PendingConsent(id: "consent-\(index)", terms: terms, redirectUri: "https://app.test/cb", state: nil, csrfToken: "x"))
        }
        #expect(store.consents.count == TokenStore.consentCapacity)
        #expect(store.consents["consent-0"] == nil && store.consents["consent-4"] == nil && store.consents["consent-5"] != nil)
        #expect(store.takeConsent("consent-5") != nil && store.takeConsent("consent-5") == nil)
    }

    @Test func rateWindowsCloseAndUnknownEmailsAreNotCounted() throws {
        var scenario = Scenario.bundledDefault
        scenario.rateLimits = [RateLimit(match: FaultMatch(path: "/wiki/*"), limit: 100, windowSeconds: 60)]
        scenario.basicAuth.captchaAfterFailures = 3
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        for index in 0..<20 { _ = try ReadResourcesTests.get(mock, RateLimitTests.space, as: "stranger\(index)@else.test:wrong") }
        _ = try ReadResourcesTests.get(mock, RateLimitTests.space, as: "alice@acme.test:wrong")
        #expect(mock.state.sizes.rateWindows == 21)
        #expect(mock.state.sizes.basicAuthFailures == 1, "only the scenario user's failure is counted")
        mock.advanceClock(by: .seconds(61))
        mock.state.prune()
        #expect(mock.state.sizes.rateWindows == 0)
    }
}
