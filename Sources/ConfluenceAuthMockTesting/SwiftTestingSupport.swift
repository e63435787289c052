import ConfluenceAuthMock
import Testing

/// Runs `body` with a mock started for it on a free loopback port, and stops it afterwards, even
/// when `body` throws.
///
/// ```swift
/// @Test func listsSpaces() async throws {
///     try await withMockConfluence { mock throws in
///         let client = MyClient(baseURL: mock.siteURL(named: "acme")!)
///         …
///         mock.expectRequest(method: "GET", path: "/wiki/rest/api/space")
///     }
/// }
/// ```
///
/// Write `{ mock throws in` when the body uses `try` inside `#expect`: the macro's expansion
/// otherwise fails to compile with "errors thrown from here are not handled" (a known Swift
/// Testing issue with closures whose throwing is inferred).
public func withMockConfluence<Result>(scenario: Scenario = .bundledDefault, options: MockServerOptions = MockServerOptions(),
                                       _ body: (MockConfluence) async throws -> Result) async throws -> Result {
    try await running(MockConfluence.start(scenario: scenario, options: options), body)
}

/// The same, with the scenario read from a file (validated as `Scenario.load(contentsOfFile:)` does).
public func withMockConfluence<Result>(scenarioFile: String, options: MockServerOptions = MockServerOptions(),
                                       _ body: (MockConfluence) async throws -> Result) async throws -> Result {
    try await running(MockConfluence.start(scenarioFile: scenarioFile, options: options), body)
}

/// The same, with the scenario given as JSON text.
public func withMockConfluence<Result>(scenarioJSON: String, options: MockServerOptions = MockServerOptions(),
                                       _ body: (MockConfluence) async throws -> Result) async throws -> Result {
    try await running(MockConfluence.start(scenarioJSON: scenarioJSON, options: options), body)
}

/// Runs `body` with `mock`, then stops it whatever happened.
private func running<Result>(_ mock: MockConfluence, _ body: (MockConfluence) async throws -> Result) async throws -> Result {
    defer { mock.stop() }
    return try await body(mock)
}

extension MockConfluence {
    /// Records a test issue, listing every request received, unless the journal holds such
    /// requests (see ``unmetRequestExpectation(method:path:status:principal:client:query:header:json:count:)``).
    public func expectRequest(method: String? = nil, path: String, status: Int? = nil, principal: String? = nil, client: String? = nil,
                              query: [String: String] = [:], header: [String: String] = [:], json: [String: JSONValue] = [:],
                              count: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        expectRequest(JournalFilter(method: method, path: path, query: query, header: header, json: json, principal: principal, client: client,
                                    status: status), count: count, sourceLocation: sourceLocation)
    }

    /// The same for any filter, which can also name the credential, mechanism and decision.
    public func expectRequest(_ filter: JournalFilter, count: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        if let message = unmetRequestExpectation(filter, count: count) {
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }
}
