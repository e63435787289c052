import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Wrong basic credentials on content anonymous users may read are served as the anonymous user,
/// as Confluence does (docs/reference.md §8.4); where anonymous users may not read, the refusal stays.
@Suite struct AnonymousFallbackTests {
    static let wrong = "alice@acme.test:not-her-token"

    /// The default scenario with the site, and ENG (not HR), open to anonymous users.
    static func start(siteOpen: Bool = true) throws -> MockConfluence {
        var scenario = Scenario.bundledDefault
        scenario.sites[0].anonymousAccess = siteOpen
        scenario.sites[0].spaces[0].anonymousAccess = true
        return try MockConfluence.start(scenario: scenario)
    }

    @Test(arguments: ["/wiki/rest/api/content/1001", "/wiki/api/v2/pages/1001"])
    func wrongCredentialsReadAnonymousContentAsAnonymous(path: String) throws {
        let mock = try Self.start()
        defer { mock.stop() }
        for credentials in [Self.wrong, "nobody@example.com:guess"] {
            let answer = try ReadResourcesTests.get(mock, path, as: credentials)
            #expect(answer.status == 200 && answer.json?["title"] == "Runbook", "\(credentials)")
        }
        let record = try #require(mock.requests(JournalFilter(path: path)).last?.auth)
        #expect(record.decision == .allowed && record.principal == "anonymous" && record.mechanism == .anonymous)
        #expect(record.reason == "bad credentials ignored: anonymous access" && record.credential == .basic)
    }

    @Test func theListShowsWhatAnonymousUsersSee() throws {
        let mock = try Self.start()
        defer { mock.stop() }
        let spaces = try ReadResourcesTests.get(mock, "/wiki/rest/api/space", as: Self.wrong).json?["results"]?.arrayValue
        #expect(spaces?.compactMap { $0["key"]?.stringValue } == ["ENG"])
        #expect(try ReadResourcesTests.get(mock, "/wiki/rest/api/user/current", as: Self.wrong).json?["type"] == "anonymous")
    }

    /// A page anonymous users may not read, a write, a site closed to them, and the gateway: the
    /// answer wrong credentials get anywhere else, recorded as refused.
    @Test func elsewhereTheRefusalStays() throws {
        let open = try Self.start(), closed = try Self.start(siteOpen: false)
        defer { open.stop(); closed.stop() }
        let refusal = try ReadResourcesTests.get(closed, "/wiki/rest/api/content/2001", as: Self.wrong)
        #expect(refusal.status == 403)
        let hidden = try ReadResourcesTests.get(open, "/wiki/rest/api/content/2001", as: Self.wrong)
        #expect(hidden.status == refusal.status && hidden.body == refusal.body, "HR is not open to anonymous users")
        let record = try #require(open.requests(JournalFilter(path: "/wiki/rest/api/content/2001")).last?.auth)
        #expect(record.decision == .denied && record.reason == "unknown email or wrong API token" && record.principal == "alice@acme.test")
        let write = try ReadResourcesTests.send(open, "POST", "/wiki/rest/api/content", as: Self.wrong,
                                                json: #"{"type":"page","title":"X","space":{"key":"ENG"},"body":{"storage":{"value":"","representation":"storage"}}}"#)
        #expect(write.status == refusal.status && write.body == refusal.body, "anonymous users cannot write")
        #expect(try ReadResourcesTests.get(closed, "/wiki/rest/api/content/1001", as: Self.wrong).status == 403)
        let gateway = try ReadResourcesTests.get(open, "\(OAuthGatewayTests.gateway)/wiki/rest/api/content/1001", as: Self.wrong)
        #expect(gateway.status == 401 && gateway.body == #"{"code":401,"message":"Unauthorized"}"#)
        let password = try ReadResourcesTests.get(open, "/wiki/rest/api/content/1001", as: "alice@acme.test:alice-password")
        #expect(password.status != 200, "a password is refused as before, not ignored")
    }
}
