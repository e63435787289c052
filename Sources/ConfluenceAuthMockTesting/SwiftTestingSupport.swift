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
    /// Records a test issue, listing every request received, unless the journal holds such requests.
    public func expectRequest(method: String? = nil, path: String, status: Int? = nil, principal: String? = nil, client: String? = nil,
                              count: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        if let message = unmetRequestExpectation(method: method, path: path, status: status, principal: principal, client: client, count: count) {
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }
}
