import AuthMockFormats
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// The admin API over HTTP, as a harness in any language drives it.
@Suite struct AdminAPITests {
    /// Sends a request with curl and returns the status and the parsed JSON body (or nil).
    static func call(_ mock: MockConfluence, _ method: String, _ path: String, body: String? = nil, token: String? = nil) throws -> (status: Int, json: JSONValue?) {
        var arguments = ["-sS", "-X", method, "-o", "-", "-w", "\n%{http_code}", "\(mock.baseURLString)\(path)"]
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        let result = try runProcess("curl", arguments)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.last ?? "") ?? 0
        let text = lines.dropLast().joined(separator: "\n")
        return (status, text.isEmpty ? nil : try JSONValue.parse(text))
    }

    @Test func healthNamesTheScenario() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let (status, json) = try Self.call(mock, "GET", "/__admin/health")
        #expect(status == 200 && json == ["status": "ok", "scenario": "default"])
    }

    @Test func getAndPutScenario() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let (_, loaded) = try Self.call(mock, "GET", "/__admin/scenario")
        #expect(try Scenario.decode(loaded!) == Scenario.bundledDefault)

        var renamed = Scenario.bundledDefault
        renamed.name = "renamed"
        let (status, json) = try Self.call(mock, "PUT", "/__admin/scenario", body: renamed.json.serialized)
        #expect(status == 200 && json == ["scenario": "renamed"])
        #expect(mock.scenario.name == "renamed")

        let (badStatus, error) = try Self.call(mock, "PUT", "/__admin/scenario", body: #"{"sites": [], "usres": []}"#)
        #expect(badStatus == 400)
        #expect(error?["error"] == "invalid scenario; the previous one keeps serving")
        #expect(error?["details"] == [["path": "sites", "message": "at least one site is needed"],
                                      ["path": "usres", "message": "unknown key \"usres\"; did you mean \"users\"?"]]
                || error?["details"] == [["path": "usres", "message": "unknown key \"usres\"; did you mean \"users\"?"],
                                         ["path": "sites", "message": "at least one site is needed"]])
        #expect(try Self.call(mock, "GET", "/__admin/health").json?["scenario"] == "renamed", "the old scenario keeps serving")
        let (notJSONStatus, notJSON) = try Self.call(mock, "PUT", "/__admin/scenario", body: "{oops")
        #expect(notJSONStatus == 400 && notJSON?["details"]?.arrayValue?.first?["message"]?.stringValue?.hasPrefix("not valid JSON") == true)
    }

    @Test func journalRecordsFiltersAndClears() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        _ = try runProcess("curl", ["-sS", "-u", "alice@acme.test:alice-api-token", "\(mock.baseURLString)/wiki/rest/api/space?limit=5&limit=6"])
        _ = try runProcess("curl", ["-sS", "-X", "POST", "--data-binary", "grant_type=x&client_id=acme-sync-client", "\(mock.baseURLString)/oauth/token"])
        _ = try Self.call(mock, "GET", "/__admin/health")  // admin calls are not journaled
        let (_, all) = try Self.call(mock, "GET", "/__admin/requests")
        let entries = all?["requests"]?.arrayValue ?? []
        #expect(entries.count == 2)
        #expect(entries.first?["method"] == "GET" && entries.first?["path"] == "/wiki/rest/api/space")
        #expect(entries.first?["query"] == ["limit": ["5", "6"]])
        #expect(entries.first?["headers"]?["authorization"]?.stringValue?.hasPrefix("Basic ") == true, "the journal keeps what was sent")
        #expect(entries.last?["body"] == "grant_type=x&client_id=acme-sync-client")
        #expect(entries.first?["status"] == 200)
        #expect(entries.first?["auth"] == ["mechanism": "basic", "credential": "basic", "principal": "5b10ac8d82e05b22cc7d4ef5", "client": nil, "scopesHeld": [],
                                           "scopesRequired": [], "decision": "allowed", "reason": nil])
        #expect(entries.last?["status"] == 400 && entries.last?["auth"]?["mechanism"] == "oauth", "an unsupported grant type")
        #expect(entries.last?["auth"]?["client"] == "acme-sync-client", "the client the request named")
        #expect(entries.first?["time"]?.stringValue?.hasSuffix("Z") == true)

        #expect(try Self.call(mock, "GET", "/__admin/requests?method=post").json?["requests"]?.arrayValue?.count == 1)
        #expect(try Self.call(mock, "GET", "/__admin/requests?path=/wiki/*").json?["requests"]?.arrayValue?.count == 1)
        #expect(try Self.call(mock, "GET", "/__admin/requests?status=400").json?["requests"]?.arrayValue?.count == 1)
        #expect(try Self.call(mock, "GET", "/__admin/requests?status=404").json?["requests"]?.arrayValue?.count == 0)
        #expect(try Self.call(mock, "GET", "/__admin/requests?principal=5b10ac8d82e05b22cc7d4ef5").json?["requests"]?.arrayValue?.count == 1)
        #expect(try Self.call(mock, "GET", "/__admin/requests?client=acme-sync-client").json?["requests"]?.arrayValue?.first?["path"] == "/oauth/token")
        #expect(try Self.call(mock, "GET", "/__admin/requests?client=nobody").json?["requests"]?.arrayValue?.count == 0)
        #expect(try Self.call(mock, "GET", "/__admin/requests?limit=1").json?["requests"]?.arrayValue?.first?["path"] == "/oauth/token")
        #expect(try Self.call(mock, "GET", "/__admin/requests?status=abc").status == 400)
        #expect(try Self.call(mock, "DELETE", "/__admin/requests").status == 204)
        #expect(mock.requests().isEmpty)
    }

    /// Journal filters read paths and principals as fault matching does: a path glob matches the
    /// full path or the path within the site, and a user's email stands for the account id.
    @Test func journalFiltersMatchThePathWithinTheSiteAndAnEmail() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let gateway = "/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674"
        _ = try runProcess("curl", ["-sS", "-u", "alice@acme.test:alice-api-token", "\(mock.baseURLString)/site/acme/wiki/rest/api/space"])
        _ = try runProcess("curl", ["-sS", "-u", "bob@acme.test:bob-api-token", "\(mock.baseURLString)\(gateway)/wiki/rest/api/space"])
        _ = try runProcess("curl", ["-sS", "-X", "POST", "\(mock.baseURLString)/oauth/token"])
        func paths(_ query: String) throws -> [String] {
            try Self.call(mock, "GET", "/__admin/requests?\(query)").json?["requests"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        }
        #expect(try paths("path=/wiki/rest/api/space") == ["/site/acme/wiki/rest/api/space", "\(gateway)/wiki/rest/api/space"])
        #expect(try paths("path=/site/acme/*") == ["/site/acme/wiki/rest/api/space"], "the full path still matches")
        #expect(try paths("path=/oauth/*") == ["/oauth/token"])
        #expect(try paths("principal=bob@acme.test") == ["\(gateway)/wiki/rest/api/space"])
        #expect(try paths("principal=BOB@acme.test") == ["\(gateway)/wiki/rest/api/space"], "emails compare case-insensitively")
        #expect(try paths("principal=5b10a2844c20165700ede21g") == ["\(gateway)/wiki/rest/api/space"], "the account id as before")
        #expect(try paths("principal=nobody@acme.test").isEmpty)
        let entries = try Self.call(mock, "GET", "/__admin/requests").json?["requests"]?.arrayValue ?? []
        #expect(entries.map { $0["pathWithinSite"] } == ["/wiki/rest/api/space", "/wiki/rest/api/space", .null])

        let alice = mock.requests(JournalFilter(path: "/wiki/rest/api/space*", principal: "alice@acme.test"))
        #expect(alice.map(\.path) == ["/site/acme/wiki/rest/api/space"])
        #expect(alice.first?.pathWithinSite == "/wiki/rest/api/space")
    }

    @Test func journalIsBounded() throws {
        var options = MockServerOptions()
        options.journalCapacity = 3
        let mock = try MockConfluence.start(options: options)
        defer { mock.stop() }
        for index in 0..<5 { _ = try runProcess("curl", ["-sS", "\(mock.baseURLString)/r\(index)"]) }
        #expect(mock.requests().map(\.path) == ["/r2", "/r3", "/r4"])
        #expect(mock.requests().map(\.id) == [3, 4, 5])
    }

    @Test func clockAdvancesSetsAndFreezes() throws {
        let mock = try MockConfluence.start(scenario: Scenario(clock: ClockSettings(start: 1_767_225_600, frozen: true),
                                                               sites: Scenario.bundledDefault.sites))
        defer { mock.stop() }
        #expect(try Self.call(mock, "GET", "/__admin/clock").json == ["now": "2026-01-01T00:00:00.000Z", "frozen": true])
        #expect(try Self.call(mock, "POST", "/__admin/clock", body: #"{"advanceSeconds": 3600}"#).json?["now"] == "2026-01-01T01:00:00.000Z")
        #expect(try Self.call(mock, "POST", "/__admin/clock", body: #"{"set": "2027-06-01T12:00:00Z"}"#).json?["now"] == "2027-06-01T12:00:00.000Z")
        let thawed = try Self.call(mock, "POST", "/__admin/clock", body: #"{"frozen": false}"#).json
        #expect(thawed?["frozen"] == false)
        let (status, error) = try Self.call(mock, "POST", "/__admin/clock", body: #"{"advanceSeconds": 1, "set": "2026-01-01T00:00:00Z", "speed": 2}"#)
        #expect(status == 400)
        #expect(Set(error?["details"]?.arrayValue?.compactMap { $0["message"]?.stringValue } ?? []) ==
                ["unknown key \"speed\"; expected one of advanceSeconds, set, frozen", "give \"advanceSeconds\" or \"set\", not both"])
        mock.freezeClock()
        mock.setClock(toSecondsSince1970: 1_767_225_600)
        mock.advanceClock(by: .seconds(90))
        #expect(mock.nowSecondsSince1970 == 1_767_225_690)
        mock.reset()
        #expect(mock.nowSecondsSince1970 == 1_767_225_600, "reset returns the clock to the scenario's start")
    }

    @Test func faultsAreAddedListedAndRemoved() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let one = #"{"name": "refresh refused", "match": {"method": "POST", "path": "/oauth/token"}, "respond": {"status": 503}}"#
        let (status, created) = try Self.call(mock, "POST", "/__admin/faults", body: one)
        #expect(status == 201 && created == ["ids": ["f1"]])
        let many = #"{"faults": [{"match": {"path": "/wiki/*"}, "wire": "reset"}, {"match": {}, "delayMs": 50}]}"#
        #expect(try Self.call(mock, "POST", "/__admin/faults", body: many).json == ["ids": ["f2", "f3"]])
        let listed = try Self.call(mock, "GET", "/__admin/faults").json?["faults"]?.arrayValue ?? []
        #expect(listed.map { $0["id"] } == ["f1", "f2", "f3"])
        #expect(listed.first?["respond"] == ["status": 503])

        let (badStatus, bad) = try Self.call(mock, "POST", "/__admin/faults", body: #"{"match": {"principal": "mallory"}, "wire": "explode"}"#)
        #expect(badStatus == 400)
        #expect(bad?["details"]?.arrayValue?.first?["path"] == "wire")
        #expect(try Self.call(mock, "DELETE", "/__admin/faults/f2").status == 204)
        #expect(try Self.call(mock, "DELETE", "/__admin/faults/f2").status == 404)
        #expect(mock.faults.map(\.id) == ["f1", "f3"])
        #expect(try Self.call(mock, "DELETE", "/__admin/faults").status == 204)
        #expect(mock.faults.isEmpty)
    }

    @Test func unknownAdminRoutesAndMethods() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        #expect(try Self.call(mock, "GET", "/__admin/nope").status == 404)
        #expect(try Self.call(mock, "DELETE", "/__admin/health").status == 405)
    }

    @Test func twoMocksShareNothing() throws {
        let a = try MockConfluence.start(), b = try MockConfluence.start()
        defer { a.stop(); b.stop() }
        _ = try runProcess("curl", ["-sS", "\(a.baseURLString)/only-a"])
        a.advanceClock(by: .seconds(1000))
        #expect(a.requests().count == 1 && b.requests().isEmpty)
        #expect(a.nowSecondsSince1970 - b.nowSecondsSince1970 > 900)
    }
}
