import ConfluenceAuthMock
import Testing

/// Runs `body` with a mock started for it on a free loopback port, and stops it afterwards, even
/// when `body` throws.
///
/// ```swift
/// @Test func listsSpaces() async throws {
///     try await withMockConfluence { mock in
///         let client = MyClient(baseURL: mock.siteURL(named: "acme")!)
///         …
///         mock.expectRequest(method: "GET", path: "/wiki/rest/api/space")
///     }
/// }
/// ```
public func withMockConfluence<Result>(scenario: Scenario = .bundledDefault, options: MockServerOptions = MockServerOptions(),
                                       _ body: (MockConfluence) async throws -> Result) async throws -> Result {
    let mock = try await MockConfluence.start(scenario: scenario, options: options)
    defer { mock.stop() }
    return try await body(mock)
}

/// The same, with the scenario read from a file.
public func withMockConfluence<Result>(scenarioFile: String, options: MockServerOptions = MockServerOptions(),
                                       _ body: (MockConfluence) async throws -> Result) async throws -> Result {
    try await withMockConfluence(scenario: try Scenario.load(contentsOfFile: scenarioFile), options: options, body)
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
