import AuthMockFormats
import AuthMockHTTP
import Dispatch
import Foundation
import Synchronization
import Testing
@testable import ConfluenceAuthMock

/// A request reads one snapshot: a scenario swapped in while requests run never mixes with the one
/// a request started with (docs/architecture.md, "Concurrency").
@Suite struct SnapshotConsistencyTests {
    /// The bundled scenario, and one where Alice's API token and page 1001's title differ.
    static let original = Scenario.bundledDefault
    static let swapped: Scenario = {
        var scenario = Scenario.bundledDefault
        scenario.users[0].apiTokens = [APIToken(token: "alice-token-after-the-swap")]
        scenario.sites[0].spaces[0].pages[0].title = "Swapped"
        return scenario
    }()

    static func pipeline(_ state: MockState) -> RequestPipeline {
        RequestPipeline(state: state, options: MockServerOptions())
    }

    static func request(token: String) throws -> HTTPRequest {
        try HTTPRequest(method: "GET", target: "/site/acme/wiki/api/v2/pages/1001",
                        headers: ["Authorization": "Basic " + Base64.encode(Array("alice@acme.test:\(token)".utf8))])
    }

    /// While another thread swaps the two scenarios back and forth, each token is answered 200
    /// only with its own scenario's page title, else refused (the 2026 profile's v2 answer to a bad
    /// credential, a bare 404): never one scenario's credentials with the other's content.
    @Test func aScenarioSwapNeverMixesTwoScenarios() throws {
        let state = MockState(scenario: Self.original, journalCapacity: 16)
        let pipeline = Self.pipeline(state)
        let stop = Atomic<Bool>(false), swaps = Atomic<Int>(0)
        let done = DispatchSemaphore(value: 0)
        // A thread of its own: the test runner's threads may all be busy with other tests.
        Thread {
            while !stop.load(ordering: .relaxed) {
                state.replace(with: swaps.load(ordering: .relaxed) % 2 == 0 ? Self.swapped : Self.original)
                swaps.add(1, ordering: .relaxed)
            }
            done.signal()
        }.start()
        while swaps.load(ordering: .relaxed) == 0 { usleep(100) }
        let originalToken = try Self.request(token: "alice-api-token"), swappedToken = try Self.request(token: "alice-token-after-the-swap")
        var answered: [String: Int] = [:]
        // At least 2,000 requests, and on until each scenario has served its own credential a few times.
        var round = 0
        while round < 2000 || (answered["Runbook 200", default: 0] < 20 || answered["Swapped 200", default: 0] < 20) && round < 200_000 {
            let (request, title) = round % 2 == 0 ? (originalToken, "Runbook") : (swappedToken, "Swapped")
            round += 1
            let response = pipeline.respond(to: request)
            if response.status == .ok {
                let body = try JSONValue.parse(response.body)
                #expect(body["title"]?.stringValue == title, "a \(title) credential answered with another scenario's page")
            } else {
                let body = try JSONValue.parse(response.body)
                #expect(response.status == .notFound && body["errors"]?.arrayValue?.first?["title"] == "Not Found", "only the other scenario's refusal")
            }
            answered["\(title) \(response.status.code)", default: 0] += 1
        }
        stop.store(true, ordering: .relaxed)
        done.wait()
        #expect(swaps.load(ordering: .relaxed) > 10, "the scenario was swapped while requests ran")
        #expect(answered["Runbook 200", default: 0] > 0 && answered["Swapped 200", default: 0] > 0, "both scenarios served: \(answered)")
    }
}
