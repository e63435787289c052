import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// `/authorize` parameters whose handling docs/reference.md §8 records: `resource` (RFC 8707) and
/// a missing `audience`.
@Suite struct AuthorizeParameterTests {
    static let invalidTarget: JSONValue = ["error": "invalid_target", "error_description": "Incorrect resource parameters"]

    static func grant(code: String) -> [String: String] {
        ["grant_type": "authorization_code", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret", "code": code,
         "redirect_uri": OAuthFlowTests.callback]
    }

    /// Atlassian accepts `resource=` at `/authorize` and refuses the code's exchange (§8.9), on
    /// every attempt while the code lives; a code without it still exchanges.
    @Test func aResourceIsAcceptedThenTheExchangeFailsWithInvalidTarget() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let url = OAuthFlowTests.authorizeURL(mock) + "&resource=https%3A%2F%2Fapi.atlassian.com"
        let visit = try OAuthFlowTests.visit(url)
        let code = try #require(OAuthFlowTests.query(visit.location)["code"], "the authorize request is accepted")
        for _ in 1...2 {
            let refused = try OAuthFlowTests.token(mock, Self.grant(code: code))
            #expect(refused.status == 400 && refused.json == Self.invalidTarget)
        }
        let entry = mock.requests(JournalFilter(path: "/oauth/token")).first
        #expect(entry?.auth.decision == .denied && entry?.auth.reason == "invalid_target: Incorrect resource parameters")
        #expect(try OAuthFlowTests.token(mock, try OAuthFlowTests.codeGrant(mock)).status == 200)
    }

    /// The consent page's code carries the `resource` too, through approval over the admin API.
    @Test func aConsentCarriesTheResourceToItsCode() throws {
        var scenario = Scenario.bundledDefault
        scenario.oauthClients[0].consent.mode = .page
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        #expect(try OAuthFlowTests.visit(OAuthFlowTests.authorizeURL(mock) + "&resource=https%3A%2F%2Fapi.atlassian.com").status == 200)
        let consents = try #require(try JSONValue.parse(runProcess("curl", ["-sS", "\(mock.baseURLString)/__admin/consents"]).stdout)["consents"]?.arrayValue)
        let id = try #require(consents.first?["id"]?.stringValue)
        let decided = try runProcess("curl", ["-sS", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", #"{"decision":"approve"}"#,
                                              "\(mock.baseURLString)/__admin/consents/\(id)"]).stdout
        let code = try #require(OAuthFlowTests.query(try JSONValue.parse(decided)["redirect"]?.stringValue)["code"])
        #expect(try OAuthFlowTests.token(mock, Self.grant(code: code)).json == Self.invalidTarget)
    }

    /// PKCE is not supported, as on Confluence (docs/reference.md §8.2): `code_challenge` is accepted
    /// and ignored, and a client that sends a verifier but no secret is refused at the token step.
    @Test func pkceIsIgnoredAndASecretIsStillRequired() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let url = OAuthFlowTests.authorizeURL(mock) + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
        let code = try #require(OAuthFlowTests.query(try OAuthFlowTests.visit(url).location)["code"])
        var publicClient = Self.grant(code: code)
        publicClient["client_secret"] = nil
        publicClient["code_verifier"] = "dBjftJeZ4CVP-mJ0kGeVqagRBZfYzyoYq0X89wuyPy0"
        let refused = try OAuthFlowTests.token(mock, publicClient)
        #expect(refused.status == 401 && refused.json == ["error": "access_denied", "error_description": "Unauthorized"])
        #expect(try OAuthFlowTests.token(mock, Self.grant(code: code)).status == 200, "the same code with the secret, no verifier needed")
    }

    /// `oauth.requireAudience` (default true) decides whether an authorize request may leave
    /// `audience` out (§8.11); a wrong audience is refused either way.
    @Test(arguments: [true, false])
    func aMissingAudienceFollowsTheScenarioSwitch(required: Bool) throws {
        var scenario = Scenario.bundledDefault
        scenario.oauth.requireAudience = required
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let withoutAudience = OAuthFlowTests.authorizeURL(mock).replacingOccurrences(of: "audience=[^&]*&", with: "", options: .regularExpression)
        let answer = OAuthFlowTests.query(try OAuthFlowTests.visit(withoutAudience).location)
        #expect(!withoutAudience.contains("audience"))
        if required {
            #expect(answer["error"] == "invalid_request" && answer["code"] == nil)
        } else {
            #expect(answer["code"] != nil && answer["error"] == nil)
        }
        #expect(OAuthFlowTests.query(try OAuthFlowTests.visit(OAuthFlowTests.authorizeURL(mock, audience: "example.com")).location)["error"] == "invalid_request")
    }

    @Test func theSwitchLoadsFromAFileAndRoundTrips() throws {
        var json = try #require(Scenario.bundledDefault.json.objectValue)
        json["oauth"] = ["requireAudience": false]
        let loaded = try Scenario.load(json: JSONValue.object(json).serialized)
        #expect(loaded.oauth.requireAudience == false && loaded.json["oauth"] == ["requireAudience": false])
        #expect(try Scenario.load(json: Scenario.bundledDefault.json.serialized).oauth.requireAudience == true)
        json["oauth"] = ["requireAudience": "no"]
        #expect(throws: ScenarioError.self) { try Scenario.load(json: JSONValue.object(json).serialized) }
    }
}
