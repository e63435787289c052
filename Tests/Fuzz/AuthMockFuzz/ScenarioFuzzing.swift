import AuthMockFormats
import AuthMockHTTP
import ConfluenceAuthMock

/// Scenario bytes → a validated scenario → requests served with it: what the scenario names (its
/// sites, users, custom resources) reaches the handlers, through the pipeline without sockets.
enum ScenarioFuzzing {
    @Sendable static func run(_ bytes: [UInt8]) {
        guard var scenario = try? Scenario.load(json: String(decoding: bytes, as: UTF8.self)) else { return }
        // Keys from a seed take a second to derive, which would make the target a thousand times
        // slower; the derivation has tests of its own, and a `keys` section is still read and checked.
        scenario.keys = Scenario.KeySettings()
        let state = MockState(scenario: scenario, journalCapacity: 50)
        let pipeline = RequestPipeline(state: state, options: MockServerOptions())
        for request in requests(for: scenario) { _ = pipeline.respond(to: request) }
        state.prune()
    }

    static func requests(for scenario: Scenario) -> [HTTPRequest] {
        var targets = [("GET", "/wiki/rest/api/space"), ("GET", "/wiki/api/v2/pages?limit=3"), ("GET", "/_edge/tenant_info"),
                       ("GET", "/wiki/rest/api/content?limit=5&start=2"), ("GET", "/oauth/token/accessible-resources"), ("GET", "/__admin/requests")]
        if let site = scenario.sites.first {
            targets += [("GET", "/ex/confluence/\(site.cloudId)/wiki/api/v2/pages/1"), ("GET", "/site/\(site.name)/wiki/rest/api/space")]
        }
        targets += scenario.resources.map { ($0.method, concrete($0.path)) }
        var headers: HTTPHeaders = [:]
        if let user = scenario.users.first, let token = user.apiTokens.first {
            headers.set("Authorization", "Basic " + Base64.encode(Array("\(user.email):\(token.token)".utf8)))
        }
        var requests = targets.compactMap { try? HTTPRequest(method: $0.0, target: $0.1, headers: headers) }
        var form: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
        form.set("Host", "auth.atlassian.com")
        let body = "grant_type=client_credentials&client_id=\(scenario.oauthClients.first?.clientId ?? "x")&client_secret=x"
        if let token = try? HTTPRequest(method: "POST", target: "/oauth/token", headers: form, body: Array(body.utf8)) { requests.append(token) }
        return requests
    }

    /// A route pattern as a path: `{name}` segments become `1`, a final `*` becomes `a/b`.
    private static func concrete(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") && $0.hasSuffix("}") ? "1" : $0 == "*" ? "a/b" : String($0) }
            .joined(separator: "/")
    }
}
