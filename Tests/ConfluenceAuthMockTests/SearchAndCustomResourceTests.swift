import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

@Suite struct SearchAndCustomResourceTests {
    static func search(_ mock: MockConfluence, _ cql: String, as credentials: String = ReadResourcesTests.alice) throws -> ReadResourcesTests.Answer {
        let encoded = cql.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        return try ReadResourcesTests.get(mock, "/wiki/rest/api/search?cql=\(encoded)", as: credentials)
    }

    @Test func cqlSubset() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        func titles(_ cql: String, as credentials: String = ReadResourcesTests.alice) throws -> [String] {
            try Self.search(mock, cql, as: credentials).json?["results"]?.arrayValue?.compactMap { $0["title"]?.stringValue } ?? []
        }
        #expect(try titles("space = ENG AND type = page") == ["Runbook", "Architecture"])
        #expect(try titles(#"title ~ "run""#) == ["Runbook"])
        #expect(try titles(#"space = "HR" and title = "Holidays""#) == ["Holidays"])
        #expect(try titles("type = page", as: ReadResourcesTests.bob) == ["Runbook", "Architecture"], "Bob sees no HR page")
        let answer = try Self.search(mock, "space = ENG")
        #expect(answer.json?["totalSize"] == 2 && answer.json?["cqlQuery"] == "space = ENG")
        #expect(answer.json?["results"]?.arrayValue?.first?["content"]?["id"] == "1001")
        let bad = try Self.search(mock, "creator = currentUser() OR space = ENG")
        #expect(bad.status == 400 && bad.json?["message"]?.stringValue?.hasPrefix("Could not parse cql : creator") == true)
        let anonymous = try ReadResourcesTests.get(mock, "/wiki/rest/api/search?cql=type%3Dpage")
        #expect(anonymous.status == 403 && anonymous.body == #"{"statusCode":403,"message":"Current user not permitted to use Confluence"}"#)
    }

    @Test func userLookup() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        #expect(try ReadResourcesTests.get(mock, "/wiki/rest/api/user?accountId=5b10a2844c20165700ede21g", as: ReadResourcesTests.alice).json?["displayName"] == "Bob Viewer")
        #expect(try ReadResourcesTests.get(mock, "/wiki/rest/api/user?accountId=nobody", as: ReadResourcesTests.alice).status == 404)
    }

    @Test func customResourcesAreGuardedLikeBuiltInRoutes() throws {
        var scenario = Scenario.bundledDefault
        scenario.resources = [CustomResource(method: "GET", path: "/wiki/rest/api/analytics/content/{id}/views",
                                             classicScopes: ["read:confluence-content.all"], granularScopes: ["read:page:confluence"],
                                             connectScope: .read, space: "ENG", permission: .view,
                                             response: CannedResponse(status: 200, headers: ["X-Custom": "yes"], json: ["count": 42]))]
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let allowed = try ReadResourcesTests.get(mock, "/wiki/rest/api/analytics/content/1001/views", as: ReadResourcesTests.bob)
        #expect(allowed.status == 200 && allowed.json == ["count": 42] && allowed.headers["x-custom"] == "yes")
        let denied = try ReadResourcesTests.get(mock, "/wiki/rest/api/analytics/content/1001/views", as: ReadResourcesTests.carol)
        #expect(denied.status == 403 && denied.json?["message"]?.stringValue?.hasSuffix("Not permitted to use this resource") == true)
        #expect(try ReadResourcesTests.get(mock, "/wiki/rest/api/analytics/content/1001/views").status == 403, "no credentials")
        let gateway = "/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674"
        #expect(try ReadResourcesTests.get(mock, "\(gateway)/wiki/rest/api/analytics/content/1001/views", as: "alice@acme.test:alice-scoped-token").status == 200,
                "the scoped token holds read:page:confluence")
    }

    /// A `*` before the last segment once passed the admin API and then killed the process on the
    /// first request to a matching path; it is refused up front now, with the JSON path.
    @Test func aStarBeforeTheLastSegmentIsRefusedAndNothingTraps() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        var scenario = Scenario.bundledDefault
        scenario.resources = [CustomResource(method: "GET", path: "/wiki/rest/api/x/*/y", response: CannedResponse(status: 200, json: ["ok": true]))]
        let (status, error) = try AdminAPITests.call(mock, "PUT", "/__admin/scenario", body: scenario.json.serialized)
        #expect(status == 400)
        #expect(error?["details"] == [["path": "resources[0].path",
                                       "message": "\"/wiki/rest/api/x/*/y\" is not a route pattern: * may only be the last segment (it matches the rest of the path)"]])
        #expect(try ReadResourcesTests.get(mock, "/wiki/rest/api/x/a/y", as: ReadResourcesTests.alice).status == 404, "the old scenario keeps serving")
        #expect(throws: ScenarioError.self) { try MockConfluence.start(scenario: scenario) }
    }
}
