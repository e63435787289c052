import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Consent in `page` mode: an HTML form, or the admin API, decides.
@Suite struct ConsentPageTests {
    static func pageScenario() -> Scenario {
        var scenario = Scenario.bundledDefault
        scenario.oauthClients[0].consent = Consent(mode: .page, user: "alice@acme.test")
        scenario.sites.append(Site(name: "globex", cloudId: "b7f3c2d1-0000-4000-8000-000000000002", url: "https://globex.atlassian.net",
                                   spaces: [Space(key: "OPS", name: "Ops", id: "5")]))
        scenario.users[0].sites["globex"] = ["OPS": [.view]]
        return scenario
    }

    @Test func thePageOffersScopesAndSitesAndTheAdminAPIDecides() throws {
        let mock = try MockConfluence.start(scenario: Self.pageScenario())
        defer { mock.stop() }
        let page = try OAuthFlowTests.visit(OAuthFlowTests.authorizeURL(mock))
        #expect(page.status == 200 && page.body.contains("<form method=\"post\" action=\"/authorize/consent\">"))
        #expect(page.body.contains("<code>read:page:confluence</code>: Read page in Confluence"))
        #expect(page.body.contains("<option value=\"globex\">https://globex.atlassian.net</option>"), "a site picker for two sites")
        let listed = try AdminAPITests.call(mock, "GET", "/__admin/consents").json?["consents"]?.arrayValue ?? []
        #expect(listed.count == 1 && listed[0]["clientId"] == "acme-sync-client" && listed[0]["sites"] == ["acme", "globex"] && listed[0]["state"] == "xyz")
        let id = try #require(listed[0]["id"]?.stringValue)

        #expect(try AdminAPITests.call(mock, "POST", "/__admin/consents/\(id)", body: #"{"decision":"maybe"}"#).status == 400)
        #expect(try AdminAPITests.call(mock, "POST", "/__admin/consents/\(id)", body: #"{"decision":"approve","sites":["initech"]}"#).status == 400)
        let decided = try AdminAPITests.call(mock, "POST", "/__admin/consents/\(id)", body: #"{"decision":"approve","sites":["globex"]}"#)
        let redirect = try #require(decided.json?["redirect"]?.stringValue)
        let query = OAuthFlowTests.query(redirect)
        #expect(redirect.hasPrefix(OAuthFlowTests.callback + "?code=") && query["state"] == "xyz")
        #expect(try AdminAPITests.call(mock, "POST", "/__admin/consents/\(id)", body: #"{"decision":"deny"}"#).status == 404, "decided once")
        let token = try OAuthFlowTests.token(mock, ["grant_type": "authorization_code", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret",
                                                    "code": query["code"]!, "redirect_uri": OAuthFlowTests.callback]).json!["access_token"]!.stringValue!
        let globex = "/ex/confluence/b7f3c2d1-0000-4000-8000-000000000002/wiki/api/v2/spaces"
        #expect(try OAuthGatewayTests.call(mock, globex, token: token).status == 401, "the grant has no read:space scope")
        #expect(try OAuthGatewayTests.call(mock, "\(OAuthGatewayTests.gateway)/wiki/api/v2/pages/1001", token: token).status == 401, "acme was not chosen")
    }

    @Test func denyAndAForgedFormAreRefused() throws {
        let mock = try MockConfluence.start(scenario: Self.pageScenario())
        defer { mock.stop() }
        _ = try OAuthFlowTests.visit(OAuthFlowTests.authorizeURL(mock))
        let id = try #require(try AdminAPITests.call(mock, "GET", "/__admin/consents").json?["consents"]?.arrayValue?.first?["id"]?.stringValue)
        let forged = try runProcess("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-d", "consent_id=\(id)&csrf_token=guess&decision=accept",
                                             "\(mock.baseURLString)/authorize/consent"])
        #expect(forged.stdout == "403")
        let denied = try AdminAPITests.call(mock, "POST", "/__admin/consents/\(id)", body: #"{"decision":"deny"}"#).json?["redirect"]?.stringValue
        #expect(OAuthFlowTests.query(denied)["error"] == "access_denied" && OAuthFlowTests.query(denied)["state"] == "xyz")
    }
}
