import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// The journal in Swift types: the credential in fault matching's names, mechanism and decision as
/// enums, query items, entries that compare, and filters over query, headers and JSON bodies.
@Suite struct TypedJournalTests {
    @Test func entriesAreTyped() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        _ = try runProcess("curl", ["-sS", "-u", "bob@acme.test:bob-api-token", "\(mock.baseURLString)/site/acme/wiki/rest/api/space/HR?expand=x&expand=y"])
        let token = try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: ["read:me"])).accessToken
        _ = try runProcess("curl", ["-sS", "-H", "Authorization: Bearer \(token)", "\(mock.baseURLString)/me"])
        let entries = mock.requests()
        #expect(entries.count == 2)
        #expect(entries[0].query == [JournalEntry.QueryItem(name: "expand", value: "x"), JournalEntry.QueryItem(name: "expand", value: "y")])
        #expect(entries[0].auth.credential == .basic && entries[0].auth.mechanism == .basic && entries[0].auth.decision == .denied)
        #expect(entries[1].auth.credential == .bearer && entries[1].auth.mechanism == .oauth && entries[1].auth.decision == .allowed)
        #expect(entries[1].json["auth"]?["credential"] == "bearer")
        #expect(mock.requests() == entries, "entries compare equal to themselves")
        #expect(entries[0] != entries[1])
    }

    @Test func filtersReadQueryHeadersAndJSONBodies() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let site = "\(mock.baseURLString)/site/acme/wiki/rest/api/content"
        _ = try runProcess("curl", ["-sS", "-u", "alice@acme.test:alice-api-token", "-H", "X-Trace: run-42", "\(site)?spaceKey=ENG&limit=5"])
        _ = try runProcess("curl", ["-sS", "-u", "alice@acme.test:alice-api-token", "-H", "Content-Type: application/json", "--data-binary",
                                    #"{"type":"page","title":"New","space":{"key":"ENG"},"body":{"storage":{"value":"<p/>","representation":"storage"}}}"#, site])
        _ = try runProcess("curl", ["-sS", "\(site)?spaceKey=HR"])
        func paths(_ filter: JournalFilter) -> [String] { mock.requests(filter).map { "\($0.method) \($0.query.map(\.value).joined(separator: ","))" } }
        #expect(paths(JournalFilter(query: ["spaceKey": "ENG"])) == ["GET ENG,5"])
        #expect(paths(JournalFilter(query: ["spaceKey": "*"])) == ["GET ENG,5", "GET HR"], "values are globs")
        #expect(paths(JournalFilter(header: ["x-trace": "run-*"])) == ["GET ENG,5"], "names are case-insensitive, values globs")
        #expect(paths(JournalFilter(json: ["type": "page", "space": ["key": "ENG"]])) == ["POST "])
        #expect(paths(JournalFilter(json: ["type": "blogpost"])).isEmpty)
        #expect(paths(JournalFilter(auth: .noCredential)) == ["GET HR"])
        #expect(paths(JournalFilter(mechanism: .basic, decision: .allowed)) == ["GET ENG,5", "POST "])
        #expect(paths(JournalFilter(auth: .basic, decision: .denied)).isEmpty)
    }
}
