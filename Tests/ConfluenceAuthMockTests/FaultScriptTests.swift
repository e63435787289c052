import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Which requests a fault picks, how it counts, what it answers, and how it is managed at run time.
@Suite struct FaultScriptTests {
    static let tenantInfo = "/_edge/tenant_info"

    static func start(_ faults: [Fault]) throws -> MockConfluence {
        var scenario = Scenario.bundledDefault
        scenario.faults = faults
        return try MockConfluence.start(scenario: scenario)
    }

    /// Statuses of `count` GETs of `path` (0 for a broken connection).
    static func statuses(_ mock: MockConfluence, _ path: String = tenantInfo, count: Int, as credentials: String? = nil) throws -> [Int] {
        try (0..<count).map { _ in
            var arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "\(mock.baseURLString)\(path)"]
            if let credentials { arguments += ["-u", credentials] }
            return Int(try runProcess("curl", arguments).stdout) ?? 0
        }
    }

    static let teapot = FaultOutcome(respond: CannedResponse(status: 418))

    @Test func callsEveryAfterAndTimesCountTheRequestsTheFaultAccepts() throws {
        let calls = try Self.start([Fault(match: FaultMatch(path: "/_edge/*", calls: [1, 3]), outcome: Self.teapot)])
        #expect(try Self.statuses(calls, count: 4) == [418, 200, 418, 200])
        calls.stop()
        let every = try Self.start([Fault(match: FaultMatch(path: "/_edge/*", every: 3), outcome: Self.teapot)])
        #expect(try Self.statuses(every, count: 6) == [200, 200, 418, 200, 200, 418])
        every.stop()
        let afterTimes = try Self.start([Fault(match: FaultMatch(path: "/_edge/*", after: 1, times: 2), outcome: Self.teapot)])
        #expect(try Self.statuses(afterTimes, count: 5) == [200, 418, 418, 200, 200])
        afterTimes.reset()
        #expect(try Self.statuses(afterTimes, count: 3) == [200, 418, 418], "a reset restarts the counters")
        afterTimes.stop()
    }

    /// Each fault counts on its own; the first in order that applies wins (bundled gateway-resets).
    @Test func faultsCountIndependentlyAndTheFirstThatAppliesWins() throws {
        let mock = try Self.start([Fault(name: "third", match: FaultMatch(path: "/_edge/*", every: 3), outcome: Self.teapot),
                                   Fault(name: "second", match: FaultMatch(path: "/_edge/*", calls: [2, 3, 5]), outcome: FaultOutcome(respond: CannedResponse(status: 503)))])
        #expect(try Self.statuses(mock, count: 6) == [200, 503, 418, 200, 503, 418])
        #expect(mock.requests().map(\.fault) == [nil, "second", "third", nil, "second", "third"])
    }

    @Test func seededProbabilityIsReproducibleAndDiffersAcrossSeeds() throws {
        func pattern(seed: Int) throws -> [Int] {
            let mock = try Self.start([Fault(match: FaultMatch(path: "/_edge/*", probability: 0.5, seed: seed), outcome: Self.teapot)])
            defer { mock.stop() }
            return try Self.statuses(mock, count: 24)
        }
        let first = try pattern(seed: 7), again = try pattern(seed: 7), other = try pattern(seed: 8)
        #expect(first == again)
        #expect(first != other)
        #expect(first.contains(418) && first.contains(200))
    }

    @Test func sequencesRepeatTheirLastOutcomeOrPass() throws {
        let outage = [FaultOutcome(respond: CannedResponse(status: 503)), FaultOutcome(respond: CannedResponse(status: 502))]
        let repeating = try Self.start([Fault(match: FaultMatch(path: "/_edge/*"), sequence: outage)])
        #expect(try Self.statuses(repeating, count: 4) == [503, 502, 502, 502])
        repeating.stop()
        let passing = try Self.start([Fault(match: FaultMatch(path: "/_edge/*"), sequence: outage + [FaultOutcome(wire: .close)], then: .pass)])
        #expect(try Self.statuses(passing, count: 5) == [503, 502, 0, 200, 200])
        passing.stop()
    }

    @Test func respondAndDelay() throws {
        let answer = CannedResponse(status: 503, headers: ["Retry-After": "2"], json: ["error": "temporarily_unavailable"])
        let mock = try Self.start([Fault(match: FaultMatch(path: "/_edge/*", calls: [1]), outcome: FaultOutcome(respond: answer)),
                                   Fault(match: FaultMatch(path: "/_edge/*", calls: [2]), outcome: FaultOutcome(delayMs: 400))])
        defer { mock.stop() }
        let first = try ReadResourcesTests.get(mock, Self.tenantInfo)
        #expect(first.status == 503 && first.headers["retry-after"] == "2" && first.body == #"{"error":"temporarily_unavailable"}"#)
        let started = Date()
        let second = try ReadResourcesTests.get(mock, Self.tenantInfo)
        #expect(second.status == 200 && second.json?["cloudId"] != nil, "delayMs alone serves normally")
        #expect(Date().timeIntervalSince(started) >= 0.4)
    }

    @Test(arguments: [
        ("method", FaultMatch(method: "POST")), ("site-relative path", FaultMatch(path: "/wiki/rest/api/space")),
        ("query glob", FaultMatch(query: ["limit": "1*"])), ("header glob", FaultMatch(header: ["X-Trace": "abc-*"])),
        ("auth", FaultMatch(auth: .basic)), ("principal by email", FaultMatch(principal: "alice@acme.test")),
        ("principal by account id", FaultMatch(principal: "5b10ac8d82e05b22cc7d4ef5")),
    ])
    func eachMatchKeySelectsItsRequests(key: String, match: FaultMatch) throws {
        let mock = try Self.start([Fault(name: key, match: match, outcome: Self.teapot)])
        defer { mock.stop() }
        func status(_ method: String = "GET", _ path: String = "/site/acme/wiki/rest/api/space?limit=10", as user: String = ReadResourcesTests.alice,
                    headers: [String] = ["X-Trace: abc-123"]) throws -> Int {
            try ReadResourcesTests.send(mock, method, path, as: user, headers: headers).status
        }
        #expect(try status(key == "method" ? "POST" : "GET") == 418, "\(key) selects")
        let other: Int = switch key {
        case "method": try status("GET")
        case "site-relative path": try status("GET", "/site/acme/wiki/rest/api/content")
        case "query glob": try status("GET", "/wiki/rest/api/space?limit=5")
        case "header glob": try status(headers: ["X-Trace: zzz"])
        case "auth": try ReadResourcesTests.get(mock, "/wiki/rest/api/space", headers: ["Authorization: Bearer x"]).status
        default: try status(as: ReadResourcesTests.bob)
        }
        #expect(other != 418, "\(key) leaves other requests alone")
    }

    /// The bundled refresh-refused-once: `form` reads form and JSON bodies alike, and the faulted
    /// request never reaches the token endpoint, so the refresh token still works afterwards.
    @Test func theFirstRefreshIsRefusedThenAccepted() throws {
        let mock = try MockConfluence.start(scenarioFile: repositoryRoot.appendingPathComponent("scenarios/refresh-refused-once.json").path)
        defer { mock.stop() }
        let refreshToken = try #require(try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: ["read:page:confluence", "offline_access"])).refreshToken)
        let fields = ["grant_type": "refresh_token", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret", "refresh_token": refreshToken]
        let refused = try OAuthFlowTests.token(mock, fields)
        #expect(refused.status == 503 && refused.headers.contains("Retry-After: 2") && refused.json?["error"] == "temporarily_unavailable")
        let accepted = try OAuthFlowTests.token(mock, fields, form: true)
        #expect(accepted.status == 200 && accepted.json?["refresh_token"] != nil)
        #expect(mock.requests().map(\.fault) == ["first refresh is refused", nil])
        #expect(mock.requests().first?.auth.principal == "acme-sync-client")
    }

    @Test func jsonFieldsAndAuthKinds() throws {
        let mock = try Self.start([Fault(name: "json", match: FaultMatch(path: "/wiki/api/v2/pages", json: ["title": "Doomed"]), outcome: Self.teapot),
                                   Fault(name: "jwt", match: FaultMatch(auth: .jwt), outcome: FaultOutcome(respond: CannedResponse(status: 409))),
                                   Fault(name: "anonymous", match: FaultMatch(path: "/wiki/*", auth: .noCredential), outcome: FaultOutcome(respond: CannedResponse(status: 410)))])
        defer { mock.stop() }
        let page = #"{"spaceId":"98306","status":"current","title":"%@","body":{"representation":"storage","value":"<p>x</p>"}}"#
        #expect(try ReadResourcesTests.send(mock, "POST", "/wiki/api/v2/pages", as: ReadResourcesTests.alice, json: page.replacingOccurrences(of: "%@", with: "Doomed")).status == 418)
        #expect(try ReadResourcesTests.send(mock, "POST", "/wiki/api/v2/pages", as: ReadResourcesTests.alice, json: page.replacingOccurrences(of: "%@", with: "Fine")).status == 200)
        #expect(try ReadResourcesTests.get(mock, "/wiki/rest/api/space", headers: ["Authorization: JWT whatever"]).status == 409)
        #expect(mock.requests().last?.auth.mechanism == .connect)
        #expect(try ReadResourcesTests.get(mock, "/wiki/rest/api/space").status == 410)
    }

    /// The bundled scenarios do what their descriptions say.
    @Test func bundledGatewayResetsAndFlakyTokenEndpoint() throws {
        let resets = try MockConfluence.start(scenarioFile: repositoryRoot.appendingPathComponent("scenarios/gateway-resets.json").path)
        // Without credentials: the gateway's 37-byte 401 keeps the 64 bytes/s dribble short.
        _ = try Self.statuses(resets, "\(OAuthGatewayTests.gateway)/wiki/api/v2/spaces", count: 6)
        #expect(resets.requests().map(\.fault) == [nil, "gateway dribble", "gateway reset", nil, "gateway dribble", "gateway reset"])
        resets.stop()
        func tokenStatuses() throws -> [Int] {
            let flaky = try MockConfluence.start(scenarioFile: repositoryRoot.appendingPathComponent("scenarios/flaky-token-endpoint.json").path)
            defer { flaky.stop() }
            return try (0..<15).map { _ in try OAuthFlowTests.token(flaky, ["grant_type": "client_credentials"]).status }
        }
        let first = try tokenStatuses()
        #expect(first.contains(503) && first.contains(401), "some requests fail with 503, the rest reach the endpoint")
        #expect(try tokenStatuses() == first, "seeded: the same requests fail on every run")
    }

    @Test func faultsAddedAndRemovedAtRunTime() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let added = try AdminAPITests.call(mock, "POST", "/__admin/faults", body: #"{"faults":[{"name":"teapot","match":{"path":"/_edge/*"},"respond":{"status":418}}]}"#)
        let id = try #require(added.json?["ids"]?.arrayValue?.first?.stringValue)
        #expect(added.status == 201)
        #expect(try Self.statuses(mock, count: 1) == [418])
        #expect(try AdminAPITests.call(mock, "DELETE", "/__admin/faults/\(id)").status == 204)
        #expect(try Self.statuses(mock, count: 1) == [200])
        let swiftID = try mock.addFault(Fault(match: FaultMatch(path: "/_edge/*"), outcome: FaultOutcome(wire: .reset)))
        #expect(try Self.statuses(mock, count: 1) == [0])
        #expect(mock.requests().last?.fault == swiftID, "an unnamed fault is journaled by its id")
        mock.clearFaults()
        #expect(try Self.statuses(mock, count: 1) == [200])
        let bad = try AdminAPITests.call(mock, "POST", "/__admin/faults", body: #"{"match":{"path":"/x","every":0},"wire":"melt"}"#)
        #expect(bad.status == 400 && (bad.json?["details"]?.arrayValue?.count ?? 0) >= 2)
    }
}
