import ConfluenceAuthMock

extension MockConfluence {
    /// Checks the journal for requests like these. Returns `nil` when met, or a message that says
    /// what was expected and lists every request the mock actually received.
    ///
    /// `count` nil means "at least one". `path` is a glob (`*` matches anything) over the full path
    /// or the path within the site (`/wiki/rest/api/space` matches `/site/acme/wiki/rest/api/space`).
    /// `principal` is an account id or a user's email (or an OAuth client id or app key); `client`
    /// is the OAuth client id, Connect app key or Forge app id the request came through.
    public func unmetRequestExpectation(method: String? = nil, path: String, status: Int? = nil, principal: String? = nil,
                                        client: String? = nil, count: Int? = nil) -> String? {
        let matching = requests(JournalFilter(method: method, path: path, principal: principal, client: client, status: status))
        let met = count.map { matching.count == $0 } ?? !matching.isEmpty
        guard !met else { return nil }
        var wanted = [method ?? "any method", path]
        if let status { wanted.append("status \(status)") }
        if let principal { wanted.append("as \(principal)") }
        if let client { wanted.append("via \(client)") }
        let times = count.map { "exactly \($0) time\($0 == 1 ? "" : "s")" } ?? "at least once"
        let received = requests()
        let list = received.isEmpty ? "  (none)" : received.map(describe).joined(separator: "\n")
        return "expected \(wanted.joined(separator: " ")) \(times), matched \(matching.count); the mock received \(received.count) request\(received.count == 1 ? "" : "s"):\n\(list)"
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
