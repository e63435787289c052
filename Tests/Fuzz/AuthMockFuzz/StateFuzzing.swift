import AuthMockFormats
import AuthMockHTTP
import ConfluenceAuthMock

/// Saved-state bytes → a restored mock → requests served with it, its export read back: what
/// `serve --state FILE` and `PUT /__admin/state` read reaches the token store, the content and the
/// handlers. A state that restores must export to one that restores again.
enum StateFuzzing {
    @Sendable static func run(_ bytes: [UInt8]) {
        guard case .object(var saved)? = try? JSONValue.parse(bytes) else { return }
        // As in the scenario target: no key derivation from a seed per input.
        if case .object(var scenario)? = saved["scenario"] {
            scenario["keys"] = nil
            saved["scenario"] = .object(scenario)
        }
        let state = MockState(scenario: .bundledDefault, journalCapacity: 50)
        guard (try? state.importState(.object(saved))) != nil else { return }
        let pipeline = RequestPipeline(state: state, options: MockServerOptions())
        let scenario = state.scenario
        var requests = ScenarioFuzzing.requests(for: scenario)
        if case .object(let tokens)? = saved["tokens"], case .array(let access)? = tokens["accessTokens"],
           case .object(let first)? = access.first, let token = first["token"]?.stringValue, let site = scenario.sites.first,
           let request = try? HTTPRequest(method: "GET", target: "/ex/confluence/\(site.cloudId)/wiki/api/v2/pages", headers: ["Authorization": "Bearer \(token)"]) {
            requests.append(request)
        }
        for request in requests { _ = pipeline.respond(to: request) }
        state.prune()
        let again = MockState(scenario: .bundledDefault, journalCapacity: 50)
        do {
            try again.importState(state.exportState())
        } catch {
            preconditionFailure("a restored state's export does not restore: \(error)")
        }
    }
}
