import ConfluenceAuthMock
import ConfluenceAuthMockTesting
import Foundation
import Testing
import WikiClient

/// The client tested the way the README shows, with every Swift Testing helper: a block
/// (`withMockConfluence` with a scenario value, file or JSON), the trait, expectations on the
/// journal, the 3LO helpers, the clock and faults.
@Suite struct WikiClientTests {
    typealias Names = Scenario.Default

    static func siteClient(_ mock: MockConfluence, _ person: Names.Person = Names.alice) throws -> WikiClient {
        WikiClient(baseURL: try #require(mock.siteURL(named: Names.acme.name)), credential: .apiToken(email: person.email, token: person.apiToken))
    }

    static func oauthApp(_ mock: MockConfluence) -> OAuthClient {
        OAuthClient(clientId: Names.oauthClient.clientId, clientSecret: Names.oauthClient.clientSecret, redirectURI: Names.oauthClient.redirectURI,
                    authorizationServer: mock.baseURL, apiServer: mock.baseURL)
    }

    @Test func basicAuthReadsAndWritesAsTheScenarioSays() async throws {
        try await withMockConfluence(scenario: .bundledDefault) { mock throws in
            let alice = try Self.siteClient(mock)
            let spaces: [Space] = try await alice.spaces()
            #expect(spaces.map(\.key) == [Names.engineering.key, Names.people.key])
            let user: User = try await alice.currentUser()
            #expect(user.accountId == Names.alice.accountId && user.displayName == Names.alice.displayName && user.email == Names.alice.email)
            let created: Page = try await alice.createPage(spaceKey: "ENG", title: "Release notes", body: "<p>v2</p>")
            #expect(created.title == "Release notes")
            await #expect(throws: Fault.status(403)) { try await Self.siteClient(mock, Names.bob).createPage(spaceKey: "ENG", title: "No", body: "") }

            mock.expectRequest(method: "GET", path: "/wiki/rest/api/space", status: 200, principal: Names.alice.email, count: 1)
            mock.expectRequest(method: "POST", path: "/wiki/rest/api/content", principal: Names.bob.email, count: 1)
            mock.expectRequest(method: "POST", path: "/wiki/rest/api/content", header: ["content-type": "application/json*"],
                               json: ["title": "Release notes", "space": ["key": "ENG"]], count: 1)
            mock.expectRequest(JournalFilter(auth: .basic, mechanism: .basic, decision: .denied, principal: Names.bob.email), count: 1)
            let entries = mock.requests(JournalFilter(path: "/wiki/rest/api/space"))
            #expect(entries.first?.pathWithinSite == "/wiki/rest/api/space" && entries.first?.date == mock.requests().first?.date)
            #expect(entries == mock.requests(JournalFilter(method: "GET", path: "/site/acme/wiki/rest/api/space")), "entries compare")
        }
    }

    @Test func theOAuthCodeFlowThroughTheGateway() async throws {
        try await withMockConfluence { mock throws in
            let app = Self.oauthApp(mock)
            let code = try mock.authorizationCode(client: app.clientId, user: Names.bob.email, scopes: ["read:page:confluence", "read:me"], state: "s1")
            let tokens: TokenResponse = try await app.exchange(code: code)
            let profile: Profile = try await app.profile(tokens.accessToken)
            #expect(profile.accountId == Names.bob.accountId && profile.name == Names.bob.displayName && profile.email == Names.bob.email)
            let sites: [Site] = try await app.accessibleResources(tokens.accessToken)
            #expect(sites.map(\.id) == [Names.acme.cloudId])
            let gateway = WikiClient(baseURL: try #require(mock.gatewayURL(site: Names.acme.name)), credential: .accessToken(tokens.accessToken))
            #expect(try await gateway.page(id: "1001").title == "Runbook")
            mock.expectRequest(path: "/wiki/api/v2/pages/1001", status: 200, principal: Names.bob.email, client: app.clientId, count: 1)
            mock.expectRequest(method: "GET", path: "/authorize", query: ["state": "s1"], count: 1)
        }
    }

    @Test func tokensExpireOnTheScenarioClockAndRefresh() async throws {
        try await withMockConfluence { mock throws in
            let app = Self.oauthApp(mock)
            let tokens = try mock.oauthTokens(client: app.clientId, scopes: ["read:page:confluence", "offline_access"])
            let gateway = WikiClient(baseURL: try #require(mock.gatewayURL(site: Names.acme.name)), credential: .accessToken(tokens.accessToken))
            let start = mock.now
            mock.advanceClock(by: .seconds(tokens.expiresIn))
            #expect(mock.now.timeIntervalSince(start) >= Double(tokens.expiresIn))
            await #expect(throws: Fault.status(401)) { try await gateway.page(id: "1001") }
            let refreshed = try await app.refresh(try #require(tokens.refreshToken))
            let again = WikiClient(baseURL: gateway.baseURL, credential: .accessToken(refreshed.accessToken))
            #expect(try await again.page(id: "1001").title == "Runbook")
            mock.setClock(to: start)
            #expect(abs(mock.now.timeIntervalSince(start)) < 60)
        }
    }

    @Test func aConsentPageAndAMintedToken() async throws {
        try await withMockConfluence(scenario: .bundled(.oauthConsent)) { mock throws in
            let tokens = try mock.oauthTokens(client: "consent-page-client", scopes: ["read:me"], sites: ["acme"])
            #expect(tokens.scope == "read:me")
            mock.expectRequest(method: "POST", path: "/authorize/consent", count: 1)
            #expect(throws: MockConfluence.TokenRequestError.self) { try mock.authorizationCode(client: "denied-client") }
            let minted: MockConfluence.TokenResponse = try mock.mintToken(.init(user: "alice@acme.test", client: "consent-page-client", scopes: ["read:me"]))
            #expect(try await Self.oauthApp(mock).profile(minted.accessToken).email == "alice@acme.test")
            #expect(try mock.revokeTokens(.init(user: "alice@acme.test", client: "consent-page-client")).accessTokens == 2)
        }
    }

    @Test func faultsFromABundledScenarioAndAddedInSwift() async throws {
        try await withMockConfluence(scenario: .bundled(.sequenceThenRecover)) { mock throws in
            let token = try mock.mintToken(.init(user: Names.alice.email, client: Names.oauthClient.clientId, scopes: ["read:page:confluence"])).accessToken
            let gateway = WikiClient(baseURL: try #require(mock.gatewayURL(site: Names.acme.name)), credential: .accessToken(token))
            await #expect(throws: Fault.status(503)) { try await gateway.page(id: "1001") }
            await #expect(throws: Fault.status(503)) { try await gateway.page(id: "1001") }
            await #expect(throws: (any Error).self) { try await gateway.page(id: "1001") }  // the connection is closed
            #expect(try await gateway.page(id: "1001").id == "1001")

            let fault = Scenario.Fault(name: "gone", match: .init(path: "/wiki/api/v2/pages/*", times: 1), outcome: .init(respond: .init(status: 410)))
            try mock.addFault(fault)
            await #expect(throws: Fault.status(410)) { try await gateway.page(id: "1001") }
            #expect(mock.requests().last?.fault == "gone")
            #expect(mock.faults.map(\.fault.name).contains("gone"))
        }
    }

    @Test func aScenarioFromAFileOrJSON() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("consumer-\(UUID().uuidString).json")
        try Scenario.Bundled.connectApp.text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try await withMockConfluence(scenarioFile: file.path) { mock throws in
            #expect(mock.scenario.name == "connect-app")
            let jwt = try mock.connectJWT(.init(app: "com.example.addon", site: "acme", method: "GET", url: "http://127.0.0.1:3000/macro?page=1001"))
            #expect(jwt.split(separator: ".").count == 3)
        }
        try await withMockConfluence(scenarioJSON: Scenario.Bundled.forgeApp.text) { mock throws in
            #expect(mock.scenario == .bundled(.forgeApp))
            #expect(mock.scenario.user("ALICE@acme.test") != nil)
        }
    }

    @Test(.mockConfluence(.bundled(.basicAuth))) func theTraitGivesTheTestAMock() async throws {
        let mock = try #require(MockConfluence.current)
        let carol = WikiClient(baseURL: try #require(mock.siteURL(named: "acme")), credential: .apiToken(email: "carol@acme.test", token: "carol-api-token"))
        #expect(try await carol.spaces().isEmpty)
        #expect(mock.unmetRequestExpectation(path: "/wiki/*", principal: "carol@acme.test", count: 1) == nil)
    }
}

/// The trait on a suite: each test gets its own mock.
@Suite(.mockConfluence()) struct EveryTestHasAMock {
    @Test func first() async throws {
        let mock = try #require(MockConfluence.current)
        #expect(mock.requests().isEmpty)
        _ = try await WikiClientTests.siteClient(mock).spaces()
        #expect(mock.requests().count == 1)
    }

    @Test func second() async throws {
        let mock = try #require(MockConfluence.current)
        #expect(mock.requests().isEmpty)
        let mine: Scenario.Page? = mock.scenario.site(named: "acme")?.spaces.first?.pages.first  // the mock's page, next to the client's Page
        let theirs: Page = try await WikiClientTests.siteClient(mock).page(id: try #require(mine?.id))
        #expect(theirs.title == mine?.title)
    }
}
