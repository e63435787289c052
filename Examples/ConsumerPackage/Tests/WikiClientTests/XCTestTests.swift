import ConfluenceAuthMock
import ConfluenceAuthMockTesting
import Foundation
import WikiClient
import XCTest

/// The same helpers in XCTest: a mock per test, stopped at teardown, from a value, file or JSON.
final class WikiClientXCTests: XCTestCase {
    func testBobSeesOnlyEngineering() async throws {
        let mock = try startMockConfluence(scenario: .bundledDefault)
        let bob = Scenario.Default.bob
        let client = WikiClient(baseURL: try XCTUnwrap(mock.siteURL(named: "acme")), credential: .apiToken(email: bob.email, token: bob.apiToken))
        let keys = try await client.spaces().map(\.key)
        XCTAssertEqual(keys, ["ENG"])
        mock.assertRequest(method: "GET", path: "/wiki/rest/api/space", status: 200, principal: bob.email, count: 1)
        mock.assertRequest(JournalFilter(auth: .basic, decision: .allowed), count: 1)
    }

    func testAScenarioFromAFileOrJSON() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("consumer-\(UUID().uuidString).json")
        try Scenario.Bundled.slowSite.text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertEqual(try startMockConfluence(scenarioFile: file.path).scenario.name, "slow-site")
        XCTAssertEqual(try startMockConfluence(scenarioJSON: Scenario.Bundled.gatewayResets.text).scenario.name, "gateway-resets")
        XCTAssertThrowsError(try startMockConfluence(scenarioJSON: "{}"))
    }
}
