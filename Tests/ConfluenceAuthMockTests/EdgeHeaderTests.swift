import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Atlassian's edge headers on every site and gateway answer (docs/reference.md §8.3), with the
/// trace id in the journal.
@Suite struct EdgeHeaderTests {
    static func isTraceID(_ text: String?) -> Bool {
        guard let text, text.utf8.count == 32 else { return false }
        return text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    @Test func siteAndGatewayAnswersCarryAFreshTraceRecordedInTheJournal() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let token = try OAuthGatewayTests.token(mock, scopes: ["read:me"])
        let answers = [
            ("/site/acme/wiki/rest/api/space", try ReadResourcesTests.get(mock, "/site/acme/wiki/rest/api/space", as: ReadResourcesTests.alice)),
            ("/site/acme/wiki/rest/api/nothing", try ReadResourcesTests.get(mock, "/site/acme/wiki/rest/api/nothing", as: ReadResourcesTests.alice)),
            ("\(OAuthGatewayTests.gateway)/wiki/api/v2/pages/1001", try ReadResourcesTests.get(mock, "\(OAuthGatewayTests.gateway)/wiki/api/v2/pages/1001")),
            ("/ex/confluence/00000000-0000-4000-8000-000000000000/wiki", try ReadResourcesTests.get(mock, "/ex/confluence/00000000-0000-4000-8000-000000000000/wiki")),
            ("/me", try ReadResourcesTests.get(mock, "/me", headers: ["Authorization: Bearer \(token)"])),
        ]
        #expect(answers.map(\.1.status) == [200, 404, 401, 404, 200])
        var seen: Set<String> = []
        for (path, answer) in answers {
            let trace = answer.headers["atl-traceid"]
            #expect(answer.headers["server"] == "AtlassianEdge", "\(path)")
            #expect(Self.isTraceID(trace), "\(path): \(trace ?? "none")")
            #expect(answer.headers["atl-request-id"]?.replacingOccurrences(of: "-", with: "") == trace, "\(path): the request id is the trace as a UUID")
            #expect(answer.headers["atl-request-id"]?.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
            #expect(mock.requests(JournalFilter(path: path)).last?.traceId == trace, "\(path): the journal holds the id sent")
            if let trace { seen.insert(trace) }
        }
        #expect(seen.count == answers.count, "a fresh id per request")
        let json = try JSONValue.parse(runProcess("curl", ["-sS", "\(mock.baseURLString)/__admin/requests?path=/me"]).stdout)
        #expect(json["requests"]?.arrayValue?.first?["traceId"]?.stringValue == answers[4].1.headers["atl-traceid"])
    }

    /// The auth host, the key servers and the admin API are not behind the edge the captures show.
    @Test func otherHostsAnswerWithoutThem() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let token = try OAuthFlowTests.token(mock, ["grant_type": "refresh_token", "client_id": "nobody", "client_secret": "x", "refresh_token": "y"])
        #expect(token.status == 401 && !token.headers.lowercased().contains("atl-traceid"))
        for path in ["/.well-known/jwks.json", "/__admin/health"] {
            let answer = try ReadResourcesTests.get(mock, path)
            #expect(answer.status == 200 && answer.headers["atl-traceid"] == nil && answer.headers["server"] == nil, "\(path)")
        }
        #expect(mock.requests(JournalFilter(path: "/oauth/token")).first?.traceId == nil)
    }
}
