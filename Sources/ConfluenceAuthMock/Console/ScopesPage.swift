import AuthMockHTTP

extension Console {
    /// `GET /__admin/ui/scopes`: for each client the journal holds catalog calls from, the scopes
    /// those calls needed (the scope advisor, `GET /__admin/scopes`) against the scopes it holds;
    /// then the scopes each client, service account credential and app holds.
    var scopes: RouteHandler {
        { _, _ in
            let scenario = state.scenario
            func codes(_ scopes: [String]) -> HTML { scopes.map { scope -> HTML in "<code>\(scope)</code>" }.concatenated(separator: " ") }
            // One pass over the journal, grouped by client.
            let byClient = Dictionary(grouping: state.requests(JournalFilter()).filter { $0.operationKey != nil && $0.auth.client != nil },
                                      by: { $0.auth.client ?? "" })
            let advice = byClient.keys.sorted().map { client -> [HTML] in
                let advice = MockConfluence.ScopeAdvice(entries: byClient[client] ?? [])
                let operations = advice.operations.map { operation -> HTML in
                    "<code>\(operation.method) \(operation.path)</code> ×\(String(operation.count))\(operation.allowed ? "" : " (some refused)")"
                }.concatenated(separator: "<br>")
                return ["<code>\(client)</code>", codes(advice.granular), advice.classic.map(codes) ?? "none can cover these calls",
                        HTML(text: advice.connect ?? "–"), operations]
            }
            let content: HTML = """
                <p class="note">What each client's calls needed: the smallest scope sets that would have allowed every call the \
                journal holds from it (<code>GET /__admin/scopes?client=ID</code>).</p>
                <div id="scope-advice">\(Self.table("Scope advice", ["Client", "Granular scopes", "Classic scopes", "Connect scope", "Operations called"], advice))</div>
                \(Self.table("OAuth clients", ["Client id", "Name", "Scopes"], scenario.oauthClients.map {
                    ["<code>\($0.clientId)</code>", HTML(text: $0.name), codes($0.scopes)]
                }))
                \(Self.table("Service account credentials", ["Account", "Client id", "Scopes"], scenario.serviceAccounts.flatMap { account in
                    account.oauthCredentials.map { ["<code>\(account.accountId)</code>", "<code>\($0.clientId)</code>", codes($0.scopes)] }
                }))
                \(Self.table("Connect apps", ["Key", "Scopes"], scenario.connectApps.map { ["<code>\($0.key)</code>", codes($0.scopes.map(\.rawValue))] }))
                \(Self.table("Forge apps", ["App id", "Scopes"], scenario.forgeApps.map { ["<code>\($0.id)</code>", codes($0.scopes)] }))
                """
            return ConsoleLayout.page("Scopes", section: .scopes, content)
        }
    }
}
