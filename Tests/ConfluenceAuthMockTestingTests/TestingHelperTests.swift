import ConfluenceAuthMock
import ConfluenceAuthMockTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
import XCTest

/// The Swift Testing helper used the way a client library's tests would use it.
@Suite struct SwiftTestingHelperTests {
    @Test func withMockConfluenceStartsAndStops() async throws {
        var port = 0
        try await withMockConfluence { mock in
            let (_, response) = try await URLSession(configuration: .ephemeral).data(from: URL(string: "\(mock.baseURL)/wiki/rest/api/space")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 403, "no credentials: cloud-2026's 403")
            mock.expectRequest(method: "GET", path: "/wiki/rest/api/space", count: 1)
            mock.expectRequest(path: "/wiki/*")
            port = try #require(mock.baseURL.port)
        }
        #expect(throws: (any Error).self, "the mock is stopped after the block") { try RawClient(port: port) }
    }

    @Test func anUnmetExpectationListsWhatWasReceived() async throws {
        try await withMockConfluence { mock in
            _ = try runProcess("curl", ["-sS", "\(mock.baseURL)/wiki/rest/api/content?spaceKey=ENG"])
            let message = mock.unmetRequestExpectation(method: "POST", path: "/wiki/rest/api/content")
            #expect(message == """
                expected POST /wiki/rest/api/content at least once, matched 0; the mock received 1 request:
                  GET /wiki/rest/api/content?spaceKey=ENG → 403
                """)
            #expect(mock.unmetRequestExpectation(path: "/wiki/rest/api/content", count: 1) == nil)
            withKnownIssue("expectRequest records an issue when unmet") {
                mock.expectRequest(method: "DELETE", path: "/anything")
            }
        }
    }

    @Test func expectationsByClient() async throws {
        try await withMockConfluence { mock in
            let token = try mock.mintToken(MockConfluence.TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: ["read:page:confluence"])).accessToken
            let page = "/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674/wiki/api/v2/pages/1001"
            _ = try runProcess("curl", ["-sS", "-H", "Authorization: Bearer \(token)", "\(mock.baseURL)\(page)"])
            mock.expectRequest(path: page, status: 200, principal: "5b10ac8d82e05b22cc7d4ef5", client: "acme-sync-client", count: 1)
            #expect(mock.unmetRequestExpectation(path: page, client: "another-client") == """
                expected any method \(page) via another-client at least once, matched 0; the mock received 1 request:
                  GET \(page) → 200 as 5b10ac8d82e05b22cc7d4ef5 (alice@acme.test, Alice Admin) via acme-sync-client
                """)
        }
    }

    /// The README's example: a client given the site's URL, and an expectation written with the
    /// path within the site and the user's email.
    @Test func expectationsMatchThePathWithinTheSiteAndAnEmail() async throws {
        try await withMockConfluence { mock in
            _ = try runProcess("curl", ["-sS", "-u", "bob@acme.test:bob-api-token", "\(mock.baseURL)/site/acme/wiki/rest/api/space?limit=1"])
            mock.expectRequest(method: "GET", path: "/wiki/rest/api/space*", count: 1)
            mock.expectRequest(path: "/wiki/rest/api/space", principal: "bob@acme.test", count: 1)
            #expect(mock.unmetRequestExpectation(path: "/wiki/*", principal: "alice@acme.test") == """
                expected any method /wiki/* as alice@acme.test at least once, matched 0; the mock received 1 request:
                  GET /site/acme/wiki/rest/api/space?limit=1 → 200 as 5b10a2844c20165700ede21g (bob@acme.test, Bob Viewer)
                """)
        }
    }

    @Test func expectationsReadQueryHeadersAndJSONBodies() async throws {
        try await withMockConfluence { mock throws in
            _ = try runProcess("curl", ["-sS", "-u", "alice@acme.test:alice-api-token", "-H", "Content-Type: application/json", "-H", "X-Trace: t1",
                                        "--data-binary", #"{"type":"page","title":"Hi","space":{"key":"ENG"}}"#,
                                        "\(mock.baseURL)/site/acme/wiki/rest/api/content?status=current"])
            mock.expectRequest(method: "POST", path: "/wiki/rest/api/content", query: ["status": "current"], header: ["X-Trace": "t*"],
                               json: ["title": "Hi"], count: 1)
            mock.expectRequest(JournalFilter(path: "/wiki/*", auth: .basic, mechanism: .basic, principal: "alice@acme.test"), count: 1)
            #expect(mock.unmetRequestExpectation(method: "POST", path: "/wiki/rest/api/content", query: ["status": "draft"], json: ["title": "Bye"]) == """
                expected POST /wiki/rest/api/content with query status=draft with JSON title="Bye" at least once, matched 0; the mock received 1 request:
                  POST /site/acme/wiki/rest/api/content?status=current → 200 as 5b10ac8d82e05b22cc7d4ef5 (alice@acme.test, Alice Admin)
                """)
            #expect(mock.unmetRequestExpectation(JournalFilter(decision: .denied), count: 0) == nil)
        }
    }

    @Test func addressesAreURLs() async throws {
        try await withMockConfluence { mock in
            #expect(mock.baseURL.scheme == "http" && mock.baseURL.host == "127.0.0.1" && mock.baseURL.absoluteString == mock.baseURLString)
            #expect(mock.tlsBaseURL == nil, "no HTTPS listener unless asked")
            #expect(mock.siteURL(named: "acme")?.path == "/site/acme")
            #expect(mock.siteURL(named: "globex") == nil)
            #expect(mock.gatewayURL(site: "acme")?.path == "/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674")
            #expect(mock.gatewayURL(site: "globex") == nil)
            _ = try await URLSession(configuration: .ephemeral).data(from: try #require(mock.gatewayURL(site: "acme")?.appendingPathComponent("wiki/api/v2/pages/1001")))
            #expect(mock.requests().last?.pathWithinSite == "/wiki/api/v2/pages/1001", "the gateway URL reaches the site")
        }
    }

    @Test func theClockTakesDatesAndDurations() async throws {
        let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        var scenario = Scenario.bundledDefault
        scenario.clock = Scenario.ClockSettings(start: start, frozen: true)
        try await withMockConfluence(scenario: scenario) { mock in
            #expect(mock.now == start)
            mock.advanceClock(by: .seconds(90))
            #expect(mock.now == start.addingTimeInterval(90))
            mock.advanceClock(by: .milliseconds(-500))
            #expect(mock.now == start.addingTimeInterval(89.5))
            mock.setClock(to: start.addingTimeInterval(3600))
            #expect(mock.nowSecondsSince1970 == 1_767_229_200)
            _ = try runProcess("curl", ["-sS", "\(mock.baseURL)/nothing"])
            #expect(mock.requests().first?.date == start.addingTimeInterval(3600), "journal times are on the scenario clock")
        }
    }

    /// A mock nobody holds stops itself: its port refuses connections once the last reference goes.
    @Test func aForgottenMockStopsWhenReleased() throws {
        weak var forgotten: MockConfluence?
        var port = 0
        do {
            let mock = try MockConfluence.start()
            forgotten = mock
            port = try #require(mock.baseURL.port)
            #expect(throws: Never.self) { try RawClient(port: port) }
        }
        #expect(forgotten == nil)
        #expect(throws: (any Error).self, "the listener is closed") { try RawClient(port: port) }
    }
}

/// The XCTest helper, in an XCTestCase as XCTest users write them.
final class XCTestHelperTests: XCTestCase {
    func testStartMockConfluenceStopsAtTeardown() throws {
        let mock = try startMockConfluence()
        let result = try runProcess("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "\(mock.baseURL)/nothing-here"])
        XCTAssertEqual(result.stdout, "404")
        mock.assertRequest(method: "GET", path: "/nothing-here", status: 404, count: 1)
        mock.assertRequest(JournalFilter(path: "/nothing-here", auth: .noCredential, mechanism: .unchecked), count: 1)
        XCTAssertEqual(mock.requests().count, 1)
    }

    /// Failures recorded while `capturing` is set, kept instead of failing the test.
    private var captured: [String] = []
    private var capturing = false

    override func recordFailure(withDescription description: String, inFile filePath: String, atLine lineNumber: Int, expected: Bool) {
        if capturing {
            captured.append(description)
        } else {
            super.recordFailure(withDescription: description, inFile: filePath, atLine: lineNumber, expected: expected)
        }
    }

    func testAssertRequestFailsListingTheJournal() throws {
        let mock = try startMockConfluence()
        _ = try runProcess("curl", ["-sS", "\(mock.baseURL)/wiki/api/v2/pages"])
        capturing = true
        mock.assertRequest(method: "POST", path: "/wiki/api/v2/pages")
        capturing = false
        XCTAssertEqual(captured.count, 1)
        XCTAssertTrue(captured.first?.contains("expected POST /wiki/api/v2/pages at least once, matched 0") == true)
        XCTAssertTrue(captured.first?.contains("  GET /wiki/api/v2/pages → 404") == true, captured.first ?? "")
    }
}
