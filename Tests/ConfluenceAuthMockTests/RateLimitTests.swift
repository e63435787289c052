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
        #expect(limited.body == #"{"code":429,"message":"Rate limit exceeded."}"#)
        #expect(limited.headers["x-ratelimit-reset"] == "2026-01-01T00:01Z" && limited.headers["ratelimit-reason"] == "confluence-quota-tenant-based")
        #expect(mock.requests().last?.fault == "rateLimits[0]" && mock.requests().last?.auth.principal == "5b10ac8d82e05b22cc7d4ef5")
        #expect((served + [limited]).allSatisfy { answer in !answer.headers.keys.contains { $0.hasPrefix("beta-") } },
                "API-token traffic gets the burst headers only")
        #expect(try ReadResourcesTests.get(mock, "/_edge/tenant_info").headers["x-ratelimit-limit"] == nil, "unmatched routes are not counted")
        mock.advanceClock(by: .seconds(30))
        let recovered = try ReadResourcesTests.get(mock, Self.space, as: ReadResourcesTests.alice)
        #expect(recovered.status == 200 && recovered.headers["x-ratelimit-remaining"] == "4", "a new window after a clock advance")
    }

    /// App traffic (an OAuth token here) also gets Cloud's points-quota headers (docs/reference.md §8.8):
    /// `Beta-RateLimit-Policy` and `Beta-RateLimit` on every counted answer, `Beta-Retry-After` on the 429.
    @Test func appTrafficAlsoGetsTheBetaHeaders() throws {
        let mock = try Self.start([RateLimit(match: FaultMatch(path: "/wiki/*"), limit: 2, windowSeconds: 60),
                                   RateLimit(match: FaultMatch(path: "/wiki/*"), limit: 10, windowSeconds: 3600, per: .global)])
        defer { mock.stop() }
        let token = try OAuthGatewayTests.token(mock, scopes: ["read:page:confluence"])
        let path = "\(OAuthGatewayTests.gateway)/wiki/api/v2/pages/1001"
        let answers = try (1...3).map { _ in try ReadResourcesTests.get(mock, path, headers: ["Authorization: Bearer \(token)"]) }
        #expect(answers.map(\.status) == [200, 200, 429])
        #expect(answers.map { $0.headers["beta-ratelimit-policy"] } == Array(repeating: #""tenant-app-quota";q=2;w=60"#, count: 3),
                "the tightest limit's policy")
        #expect(answers.map { $0.headers["beta-ratelimit"] } == [#""tenant-app-quota";r=1;t=30"#, #""tenant-app-quota";r=0;t=30"#, #""tenant-app-quota";r=0;t=30"#])
        #expect(answers[2].headers["beta-retry-after"] == "30" && answers[2].headers["retry-after"] == "30")
        #expect(answers[0].headers["beta-retry-after"] == nil)
        let shared = try Self.start([RateLimit(match: FaultMatch(path: "/wiki/*"), limit: 10, windowSeconds: 3600, per: .global)])
        defer { shared.stop() }
        let sharedToken = try OAuthGatewayTests.token(shared, scopes: ["read:page:confluence"])
        let global = try ReadResourcesTests.get(shared, path, headers: ["Authorization: Bearer \(sharedToken)"])
        #expect(global.headers["beta-ratelimit-policy"] == #""global-app-quota";q=10;w=3600"#)
        #expect(global.headers["beta-ratelimit"] == #""global-app-quota";r=9;t=3570"#)
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
