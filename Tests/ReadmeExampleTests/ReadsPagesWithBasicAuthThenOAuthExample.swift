import ConfluenceAuthMock
import ConfluenceAuthMockTesting
import Testing

@Test func readsPagesWithBasicAuthThenOAuth() async throws {
    try await withMockConfluence(scenario: .bundledDefault) { mock throws in
        let alice = Scenario.Default.alice, app = Scenario.Default.oauthClient

        // Basic auth with an API token, on the site's URL.
        let site = MyConfluenceClient(baseURL: mock.siteURL(named: "acme")!, email: alice.email, apiToken: alice.apiToken)
        #expect(try await site.spaces() == ["ENG", "HR"])

        // OAuth 2.0 (3LO): the mock plays the browser, the client exchanges the code and calls the gateway.
        let code = try mock.authorizationCode(client: app.clientId, user: alice.email, scopes: ["read:page:confluence"])
        let token = try await MyConfluenceClient.exchange(code: code, at: mock.baseURL, client: app.clientId, secret: app.clientSecret,
                                                          redirectURI: app.redirectURI)
        let gateway = MyConfluenceClient(baseURL: mock.gatewayURL(site: "acme")!, accessToken: token)
        #expect(try await gateway.pageTitle(id: "1001") == "Runbook")

        // The clock: an hour later the access token has expired.
        mock.advanceClock(by: .seconds(3600))
        await #expect(throws: MyConfluenceClient.Refused(status: 401)) { try await gateway.pageTitle(id: "1001") }

        // A fault: the next page read answers 503.
        try mock.addFault(.init(match: .init(path: "/wiki/api/v2/pages/*", times: 1), outcome: .init(respond: .init(status: 503))))
        await #expect(throws: MyConfluenceClient.Refused(status: 503)) { try await site.pageTitle(id: "1001") }

        // The journal: paths within the site, people by email; an unmet expectation lists every request received.
        mock.expectRequest(method: "GET", path: "/wiki/api/v2/pages/1001", status: 200, principal: alice.email, client: app.clientId, count: 1)
        mock.expectRequest(path: "/wiki/api/v2/pages/*", status: 503, count: 1)
    }
}
