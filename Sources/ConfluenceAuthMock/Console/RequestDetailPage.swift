import AuthMockHTTP

extension Console {
    /// `GET /__admin/ui/requests/{id}`: one journal entry explained — the credential and where it
    /// came from, who it proved to be, the scopes held against those the operation needs, the check
    /// that failed, the fault that fired, and the answer as sent.
    var requestDetail: RouteHandler {
        { _, parameters in
            let text = parameters["id"] ?? ""
            guard let id = Int(text), let entry = state.withJournal({ $0.entry(id: id) }) else {
                return ConsoleLayout.page("No such request", section: .requests, status: .notFound, """
                    <p>The journal holds no request #\(text) (it keeps the newest entries only, and a reset empties it).</p>
                    <p><a href="/__admin/ui/requests">Back to the journal</a></p>
                    """)
            }
            let auth = entry.auth
            let route = operation(entry)
            let missing = missingScopes(entry, requirement: route?.requirement)
            let failure = entry.responseHeaders["x-mock-auth-failure"]
            let inspect: HTML = auth.credential == .bearer || auth.credential == .jwt
                ? "<a id=\"inspect-token\" href=\"/__admin/ui/tokens?entry=\(entry.id)\">Inspect this token</a>" : .empty
            let content: HTML = """
                <p><a href="/__admin/ui/requests">← Journal</a></p>
                <dl id="summary"><dt>Request</dt><dd><code>\(entry.method) \(entry.path)</code></dd>
                <dt>Operation</dt><dd>\(ConsoleLayout.orDash(route.map { "\(entry.method) \($0.pattern)" }))</dd>
                <dt>Time</dt><dd>\(ISO8601.format(entry.time, milliseconds: true)) (scenario clock), answered in \(Self.milliseconds(entry.durationMs))</dd>
                <dt>Status</dt><dd id="status">\(entry.status == 0 ? "none sent (a wire fault)" : String(entry.status))</dd>
                <dt>Trace id</dt><dd>\(ConsoleLayout.orDash(entry.traceId))</dd></dl>
                <h2>Decision</h2>
                <dl id="decision"><dt>Credential</dt><dd>\(Self.credentialSource(entry)) \(inspect)</dd>
                <dt>Mechanism</dt><dd>\(auth.mechanism.rawValue)</dd>
                <dt>Principal</dt><dd>\(ConsoleLayout.orDash(auth.principal))</dd><dt>Client</dt><dd>\(ConsoleLayout.orDash(auth.client))</dd>
                <dt>Decision</dt><dd>\(ConsoleLayout.decision(auth.decision))</dd>
                <dt>Failed check</dt><dd id="failed-check">\(ConsoleLayout.orDash(failure ?? (auth.decision == .denied ? auth.reason : nil)))</dd>
                <dt>Reason</dt><dd id="reason">\(ConsoleLayout.orDash(auth.reason))</dd>
                <dt>Scopes held</dt><dd id="scopes-held">\(Self.scopeList(auth.scopesHeld, missing: []))</dd>
                <dt>Scopes required</dt><dd id="scopes-required">\(Self.scopeList(auth.scopesRequired, missing: missing))\(auth.scopesRequired.isEmpty ? .empty : route.map(Self.alternatives) ?? .empty)</dd>
                <dt>Missing</dt><dd id="scopes-missing">\(missing.isEmpty ? ConsoleLayout.orDash(nil) : Self.scopeList(missing, missing: missing))</dd>
                <dt>Fault or rate limit</dt><dd id="fault">\(ConsoleLayout.orDash(entry.fault))</dd></dl>
                <h2>Request</h2>\(Self.fields(entry.headers, masking: "authorization"))\(Self.queryTable(entry))\(Self.body(entry.body))
                <h2>Response</h2>\(Self.fields(entry.responseHeaders, masking: nil))\(Self.body(entry.responseBody))
                """
            return ConsoleLayout.page("Request #\(entry.id)", section: .requests, content)
        }
    }

    /// The site route that answered the entry (the built-in catalog, then the scenario's resources).
    private func operation(_ entry: JournalEntry) -> (pattern: String, requirement: RouteRequirement)? {
        guard let path = entry.pathWithinSite else { return nil }
        // The scenario's resources are a router of their own, made only when the built-in one has no route.
        guard let (route, _) = CatalogRoutes.shared.route(method: entry.method, path: path) ?? SiteRoutes.customEntries(state.scenario).route(method: entry.method, path: path)
        else { return nil }
        return (route.pattern.description, route.handler.requirement)
    }

    /// The required scopes the credential lacked: of the route's classic or granular set (either
    /// will do), or the Connect scope the app's scopes do not imply.
    private func missingScopes(_ entry: JournalEntry, requirement: RouteRequirement?) -> [String] {
        let auth = entry.auth
        guard auth.decision == .denied, !auth.scopesRequired.isEmpty else { return [] }
        if auth.mechanism == .connect {
            let held = auth.scopesHeld.compactMap(ConnectScope.init(rawValue:))
            return auth.scopesRequired.filter { ConnectScope(rawValue: $0).map { !$0.isImplied(by: held) } ?? false }
        }
        return requirement?.missingScopes(auth.scopesHeld) ?? auth.scopesRequired.filter { !auth.scopesHeld.contains($0) }
    }

    private static func alternatives(_ route: (pattern: String, requirement: RouteRequirement)) -> HTML {
        let requirement = route.requirement
        guard !requirement.classicScopes.isEmpty, !requirement.granularScopes.isEmpty else { return .empty }
        return "<br><span class=\"note\">either all classic (\(requirement.classicScopes.joined(separator: " "))) or all granular (\(requirement.granularScopes.joined(separator: " ")))</span>"
    }

    /// The kind of credential and where the request carried it.
    private static func credentialSource(_ entry: JournalEntry) -> HTML {
        let kind = entry.auth.credential
        if let header = entry.headers["authorization"] {
            let scheme = header.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            return "\(kind.rawValue), from the <code>Authorization</code> header (scheme <code>\(scheme)</code>)"
        }
        if entry.query.contains(where: { $0.name == "jwt" }) { return "\(kind.rawValue), from the <code>jwt</code> query parameter" }
        return "none presented"
    }

    private static func scopeList(_ scopes: [String], missing: [String]) -> HTML {
        guard !scopes.isEmpty else { return ConsoleLayout.orDash(nil) }
        return scopes.map { scope -> HTML in missing.contains(scope) ? "<code class=\"missing\">\(scope)</code>" : "<code>\(scope)</code>" }.concatenated(separator: " ")
    }

    /// Header fields in a table; a masked field shows its scheme and length, not its secret.
    private static func fields(_ fields: [String: String], masking masked: String?) -> HTML {
        let rows = fields.sorted { $0.key < $1.key }.map { name, value -> HTML in
            let shown = name == masked ? Self.mask(value) : value
            return "<tr><th>\(name)</th><td class=\"wrap\"><code>\(shown)</code></td></tr>"
        }
        return rows.isEmpty ? "<p class=\"note\">No header fields.</p>" : "<table class=\"fields\"><tbody>\(rows)</tbody></table>"
    }

    private static func mask(_ value: String) -> String {
        let parts = value.split(separator: " ", maxSplits: 1)
        let secret = parts.count == 2 ? parts[1] : Substring(value)
        return (parts.count == 2 ? "\(parts[0]) " : "") + "\(secret.prefix(8))… (\(secret.count) characters)"
    }

    private static func queryTable(_ entry: JournalEntry) -> HTML {
        guard !entry.query.isEmpty else { return .empty }
        let rows = entry.query.map { item -> HTML in "<tr><th>\(item.name)</th><td class=\"wrap\"><code>\(item.name == "jwt" ? mask(item.value) : item.value)</code></td></tr>" }
        return "<h3>Query</h3><table class=\"fields\"><tbody>\(rows)</tbody></table>"
    }

    private static func body(_ text: String) -> HTML {
        text.isEmpty ? "<p class=\"note\">No body.</p>" : "<pre>\(text)</pre>"
    }

    private static func milliseconds(_ value: Double) -> String { String(Double(Int(value * 1000)) / 1000) + " ms" }
}
