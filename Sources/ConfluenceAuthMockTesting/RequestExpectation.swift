import ConfluenceAuthMock

extension MockConfluence {
    /// Checks the journal for requests like these. Returns `nil` when met, or a message that says
    /// what was expected and lists every request the mock actually received.
    ///
    /// `count` nil means "at least one". `path` is a glob (`*` matches anything) over the full path
    /// or the path within the site (`/wiki/rest/api/space` matches `/site/acme/wiki/rest/api/space`).
    /// `principal` is an account id or a user's email (or an OAuth client id or app key); `client`
    /// is the OAuth client id, Connect app key or Forge app id the request came through. `query`
    /// and `header` values are globs; `json` names top-level members of a JSON body.
    public func unmetRequestExpectation(method: String? = nil, path: String, status: Int? = nil, principal: String? = nil,
                                        client: String? = nil, query: [String: String] = [:], header: [String: String] = [:],
                                        json: [String: JSONValue] = [:], count: Int? = nil) -> String? {
        unmetRequestExpectation(JournalFilter(method: method, path: path, query: query, header: header, json: json,
                                              principal: principal, client: client, status: status), count: count)
    }

    /// The same for any filter, which can also name the credential, mechanism and decision.
    public func unmetRequestExpectation(_ filter: JournalFilter, count: Int? = nil) -> String? {
        let matching = requests(filter)
        let met = count.map { matching.count == $0 } ?? !matching.isEmpty
        guard !met else { return nil }
        let times = count.map { "exactly \($0) time\($0 == 1 ? "" : "s")" } ?? "at least once"
        let received = requests()
        let list = received.isEmpty ? "  (none)" : received.map(describe).joined(separator: "\n")
        return "expected \(Self.describe(filter)) \(times), matched \(matching.count); the mock received \(received.count) request\(received.count == 1 ? "" : "s"):\n\(list)"
    }

    /// What a filter asks for, in the order a request line reads: `GET /path status 200 as … via …`.
    private static func describe(_ filter: JournalFilter) -> String {
        var wanted = [filter.method ?? "any method", filter.path ?? "any path"]
        wanted += filter.query.keys.sorted().map { "with query \($0)=\(filter.query[$0] ?? "")" }
        wanted += filter.header.keys.sorted().map { "with header \($0): \(filter.header[$0] ?? "")" }
        wanted += filter.json.keys.sorted().map { "with JSON \($0)=\(filter.json[$0]?.serialized ?? "")" }
        if let status = filter.status { wanted.append("status \(status)") }
        if let auth = filter.auth { wanted.append("with \(auth.rawValue) credentials") }
        if let mechanism = filter.mechanism { wanted.append("by \(mechanism.rawValue)") }
        if let decision = filter.decision { wanted.append(decision.rawValue) }
        if let principal = filter.principal { wanted.append("as \(principal)") }
        if let client = filter.client { wanted.append("via \(client)") }
        return wanted.joined(separator: " ")
    }

    /// One line of the received list: `GET /path?query → 200 as ACCOUNT (email, name) via CLIENT`.
    private func describe(_ entry: JournalEntry) -> String {
        let query = entry.query.isEmpty ? "" : "?" + entry.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        return "  \(entry.method) \(entry.path)\(query) → \(entry.status)"
            + (entry.auth.principal.map { " as \(describe(principal: $0))" } ?? "") + (entry.auth.client.map { " via \($0)" } ?? "")
    }

    /// An account id with the user's email and display name, so a reader sees who it is.
    private func describe(principal: String) -> String {
        guard let user = scenario.user(principal), user.accountId == principal else { return principal }
        return "\(principal) (\(user.email), \(user.displayName))"
    }
}
