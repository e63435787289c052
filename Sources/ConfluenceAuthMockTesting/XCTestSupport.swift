import ConfluenceAuthMock
import XCTest

extension XCTestCase {
    /// Starts a mock for this test on a free loopback port; it stops at teardown.
    ///
    /// ```swift
    /// func testListsSpaces() throws {
    ///     let mock = try startMockConfluence()
    ///     …
    ///     mock.assertRequest(method: "GET", path: "/wiki/rest/api/space")
    /// }
    /// ```
    public func startMockConfluence(scenario: Scenario = .bundledDefault, options: MockServerOptions = MockServerOptions()) throws -> MockConfluence {
        stoppedAtTeardown(try MockConfluence.start(scenario: scenario, options: options))
    }

    /// The same, with the scenario read from a file (validated as `Scenario.load(contentsOfFile:)` does).
    public func startMockConfluence(scenarioFile: String, options: MockServerOptions = MockServerOptions()) throws -> MockConfluence {
        stoppedAtTeardown(try MockConfluence.start(scenarioFile: scenarioFile, options: options))
    }

    /// The same, with the scenario given as JSON text.
    public func startMockConfluence(scenarioJSON: String, options: MockServerOptions = MockServerOptions()) throws -> MockConfluence {
        stoppedAtTeardown(try MockConfluence.start(scenarioJSON: scenarioJSON, options: options))
    }

    private func stoppedAtTeardown(_ mock: MockConfluence) -> MockConfluence {
        addTeardownBlock { mock.stop() }
        return mock
    }
}

extension MockConfluence {
    /// Fails the test, listing every request received, unless the journal holds such requests
    /// (see ``unmetRequestExpectation(method:path:status:principal:client:query:header:json:count:)``).
    public func assertRequest(method: String? = nil, path: String, status: Int? = nil, principal: String? = nil, client: String? = nil,
                              query: [String: String] = [:], header: [String: String] = [:], json: [String: JSONValue] = [:],
                              count: Int? = nil, file: StaticString = #filePath, line: UInt = #line) {
        assertRequest(JournalFilter(method: method, path: path, query: query, header: header, json: json, principal: principal, client: client,
                                    status: status), count: count, file: file, line: line)
    }

    /// The same for any filter, which can also name the credential, mechanism and decision.
    public func assertRequest(_ filter: JournalFilter, count: Int? = nil, file: StaticString = #filePath, line: UInt = #line) {
        if let message = unmetRequestExpectation(filter, count: count) {
            XCTFail(message, file: file, line: line)
        }
    }
}
