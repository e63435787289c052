import ConfluenceAuthMock
import ConfluenceAuthMockTesting
import Foundation
import Testing
import TestSupport
import XCTest

/// The three ways to name a scenario (a value, a file, JSON text), the same in both test
/// libraries and in the trait; and one `start` for synchronous and `async` code.
enum ScenarioSources {
    static let file = repositoryRoot.appendingPathComponent("scenarios/basic-auth.json").path
    static let json = #"{"name": "from-json", "sites": [{"name": "tiny", "cloudId": "0b1e2c3d-0000-4000-8000-000000000001", "url": "https://tiny.atlassian.net"}]}"#

    /// The name the mock's health route reports, over HTTP.
    static func servedName(_ mock: MockConfluence) throws -> String {
        try runProcess("curl", ["-sS", "\(mock.baseURL)/__admin/health"]).stdout
    }
}

@Suite struct SwiftTestingStartingTests {
    @Test func oneStartServesSynchronousAndAsyncCode() async throws {
        let mock = try MockConfluence.start()  // no `await`: there is one `start`, and it never suspends
        defer { mock.stop() }
        #expect(try ScenarioSources.servedName(mock) == #"{"status":"ok","scenario":"default"}"#)
    }

    @Test func withMockConfluenceTakesAFileOrJSON() async throws {
        try await withMockConfluence(scenarioFile: ScenarioSources.file) { mock throws in
            #expect(try ScenarioSources.servedName(mock).contains(#""scenario":"basic-auth""#))
        }
        try await withMockConfluence(scenarioJSON: ScenarioSources.json) { mock throws in
            #expect(try ScenarioSources.servedName(mock).contains(#""scenario":"from-json""#))
            #expect(mock.siteURL(named: "tiny") != nil)
        }
        await #expect(throws: ScenarioError.self) { try await withMockConfluence(scenarioJSON: "{}") { _ in } }
    }

    @Test(.mockConfluence(scenarioFile: ScenarioSources.file)) func theTraitStartsAMockForTheTest() throws {
        let mock = try #require(MockConfluence.current)
        #expect(try ScenarioSources.servedName(mock).contains(#""scenario":"basic-auth""#))
    }

    @Test(.mockConfluence(scenarioJSON: ScenarioSources.json), arguments: [1, 2])
    func eachCaseGetsAFreshMock(round: Int) throws {
        let mock = try #require(MockConfluence.current)
        #expect(mock.requests().isEmpty, "no request from the other case")
        _ = try runProcess("curl", ["-sS", "\(mock.baseURL)/nothing"])
        #expect(mock.requests().count == 1)
    }

    @Test func withoutTheTraitThereIsNoCurrentMock() {
        #expect(MockConfluence.current == nil)
    }

    /// The trait's scope run by hand, to see what a test body cannot: the mock stops after it,
    /// and a scenario that cannot load fails the test before its body runs.
    @Test func theTraitStopsItsMockAndReportsABadScenario() async throws {
        let test = try #require(Test.current)
        nonisolated(unsafe) var provided: MockConfluence?  // written by the body, read after the scope returned: no overlap
        try await MockConfluenceTrait.mockConfluence().provideScope(for: test, testCase: Test.Case.current) {
            let mock = try #require(MockConfluence.current)
            #expect(mock.isRunning)
            provided = mock
        }
        // Asked of the mock itself: its port may already serve another test's mock.
        #expect(try #require(provided).isRunning == false, "the mock is stopped after the test")
        await #expect(throws: ScenarioError.self) {
            try await MockConfluenceTrait.mockConfluence(scenarioFile: "/nonexistent.json").provideScope(for: test, testCase: nil) {
                Issue.record("the body must not run")
            }
        }
    }
}

@Suite(.mockConfluence()) struct SuiteTraitTests {
    @Test func eachTestOfTheSuiteHasAMock() throws {
        #expect(try #require(MockConfluence.current).scenario.name == "default")
    }

    @Test func andItIsItsOwn() throws {
        let mock = try #require(MockConfluence.current)
        #expect(mock.requests().isEmpty)
        _ = try runProcess("curl", ["-sS", "\(mock.baseURL)/nothing"])
        #expect(mock.requests().count == 1)
    }
}

final class XCTestStartingTests: XCTestCase {
    func testStartMockConfluenceTakesAFileOrJSON() throws {
        XCTAssertTrue(try ScenarioSources.servedName(startMockConfluence(scenarioFile: ScenarioSources.file)).contains(#""scenario":"basic-auth""#))
        XCTAssertTrue(try ScenarioSources.servedName(startMockConfluence(scenarioJSON: ScenarioSources.json)).contains(#""scenario":"from-json""#))
        XCTAssertThrowsError(try startMockConfluence(scenarioJSON: "{}")) { XCTAssertTrue($0 is ScenarioError) }
    }
}
