import ConfluenceAuthMock
import Testing

#if compiler(>=6.1)  // TestScoping came with Swift Testing 6.1; older toolchains build the rest.
/// A Swift Testing trait that starts a mock for each test (each case of a parameterised test),
/// reachable there as ``MockConfluence/current``, and stops it when the test ends.
///
/// ```swift
/// @Test(.mockConfluence(.bundledDefault)) func listsSpaces() async throws {
///     let mock = try #require(MockConfluence.current)
///     …
/// }
/// ```
///
/// On a suite it gives every test in it a mock of its own.
public struct MockConfluenceTrait: TestTrait, SuiteTrait, TestScoping {
    /// Starts the mock; a scenario file or JSON text that cannot be loaded fails the test.
    let start: @Sendable () throws -> MockConfluence

    /// On a suite, each of its tests gets its own mock.
    public var isRecursive: Bool { true }

    /// One mock per test case; none for a suite or for a test as a whole.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> MockConfluenceTrait? {
        test.isSuite || testCase == nil ? nil : self
    }

    /// Starts the mock, runs the test with it as `MockConfluence.current`, and stops it, whatever happened.
    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let mock = try start()
        defer { mock.stop() }
        try await MockConfluence.$current.withValue(mock) { try await function() }
    }
}

extension Trait where Self == MockConfluenceTrait {
    /// A mock serving `scenario` for each test.
    public static func mockConfluence(_ scenario: Scenario = .bundledDefault, options: MockServerOptions = MockServerOptions()) -> Self {
        MockConfluenceTrait { try MockConfluence.start(scenario: scenario, options: options) }
    }

    /// A mock serving a scenario file for each test.
    public static func mockConfluence(scenarioFile: String, options: MockServerOptions = MockServerOptions()) -> Self {
        MockConfluenceTrait { try MockConfluence.start(scenarioFile: scenarioFile, options: options) }
    }

    /// A mock serving a scenario given as JSON text for each test.
    public static func mockConfluence(scenarioJSON: String, options: MockServerOptions = MockServerOptions()) -> Self {
        MockConfluenceTrait { try MockConfluence.start(scenarioJSON: scenarioJSON, options: options) }
    }
}
#endif

extension MockConfluence {
    /// The mock the `.mockConfluence` trait started for the running test; `nil` outside one.
    @TaskLocal public static var current: MockConfluence?
}
