import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Rate limits in fixed windows on the scenario clock (scenarios/README.md "rateLimits", docs/reference.md §6).
@Suite struct RateLimitTests {
    static func start(_ limits: [RateLimit]) throws -> MockConfluence {
        var scenario = Scenario.bundledDefault
        scenario.clock = ClockSettings(start: 1_767_225_630, frozen: true)  // 2026-01-01T00:00:30Z
        scenario.rateLimits = limits
        return try MockConfluence.start(scenario: scenario)
    }

    static let space = "/wiki/rest/api/space"

    @Test func headersCountDownThen429UntilTheWindowEnds() throws {
        let mock = try Self.start([RateLimit(match: FaultMatch(path: "/wiki/*"), limit: 5, windowSeconds: 60)])
        defer { mock.stop() }
        let served = try (1...5).map { _ in try ReadResourcesTests.get(mock, Self.space, as: ReadResourcesTests.alice) }
        #expect(served.map(\.status) == [200, 200, 200, 200, 200])
        #expect(served.map { $0.headers["x-ratelimit-remaining"] } == ["4", "3", "2", "1", "0"])
        #expect(served.allSatisfy { $0.headers["x-ratelimit-limit"] == "5" })
        #expect(served.map { $0.headers["x-ratelimit-nearlimit"] } == [nil, nil, nil, nil, "true"], "under 20% of 5 left: only at 0")
        let limited = try ReadResourcesTests.get(mock, Self.space, as: ReadResourcesTests.alice)
        #expect(limited.status == 429 && limited.headers["retry-after"] == "30" && limited.headers["x-ratelimit-remaining"] == "0")
        #expect(limited.headers["x-ratelimit-reset"] == "2026-01-01T00:01Z" && limited.headers["ratelimit-reason"] == "confluence-quota-tenant-based")
        #expect(mock.requests().last?.fault == "rateLimits[0]" && mock.requests().last?.auth.principal == "5b10ac8d82e05b22cc7d4ef5")
        #expect(try ReadResourcesTests.get(mock, "/_edge/tenant_info").headers["x-ratelimit-limit"] == nil, "unmatched routes are not counted")
        mock.advanceClock(by: .seconds(30))
        let recovered = try ReadResourcesTests.get(mock, Self.space, as: ReadResourcesTests.alice)
        #expect(recovered.status == 200 && recovered.headers["x-ratelimit-remaining"] == "4", "a new window after a clock advance")
    }

    @Test func perPrincipalWindowsAreSeparateAndGlobalOnesShared() throws {
        let mock = try Self.start([RateLimit(match: FaultMatch(path: "/wiki/*"), limit: 2, windowSeconds: 60),
                                   RateLimit(match: FaultMatch(path: "/wiki/*"), limit: 3, windowSeconds: 60, per: .global, reason: "confluence-quota-global-based")])
        defer { mock.stop() }
        func status(_ user: String) throws -> ReadResourcesTests.Answer { try ReadResourcesTests.get(mock, Self.space, as: user) }
        #expect(try status(ReadResourcesTests.alice).status == 200)
        #expect(try status(ReadResourcesTests.alice).status == 200)
        let alice = try status(ReadResourcesTests.alice)
        #expect(alice.status == 429 && alice.headers["ratelimit-reason"] == "confluence-quota-tenant-based", "alice's own limit")
        let bob = try status(ReadResourcesTests.bob)
        #expect(bob.status == 429 && bob.headers["ratelimit-reason"] == "confluence-quota-global-based", "the shared limit: 4 requests > 3")
    }

    @Test func aRateLimitMayNotCountLikeAFault() throws {
        var scenario = Scenario.bundledDefault
        scenario.rateLimits = [RateLimit(match: FaultMatch(every: 2), limit: 1, windowSeconds: 1)]
        let error = #expect(throws: ScenarioError.self) { try MockConfluence.start(scenario: scenario) }
        #expect(error?.issues.first?.path == "rateLimits[0].match")
    }

    @Test func theBundledTenantScenarioLimitsAndRecovers() throws {
        let mock = try MockConfluence.start(scenarioFile: repositoryRoot.appendingPathComponent("scenarios/rate-limited-tenant.json").path)
        defer { mock.stop() }
        let statuses = try FaultScriptTests.statuses(mock, "/site/acme/wiki/rest/api/space", count: 11, as: ReadResourcesTests.alice)
        #expect(statuses == Array(repeating: 200, count: 10) + [429])
        mock.advanceClock(by: .seconds(60))
        #expect(try FaultScriptTests.statuses(mock, "/site/acme/wiki/rest/api/space", count: 1, as: ReadResourcesTests.alice) == [200])
    }
}
