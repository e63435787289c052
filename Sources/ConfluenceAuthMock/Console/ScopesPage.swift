import AuthMockHTTP

extension Console {
    /// `GET /__admin/ui/scopes`: the scopes each client, service account credential and app holds.
    /// Advice on which scopes a client's requests needed takes a catalog of the scopes of every
    /// Confluence operation, which the mock does not have yet; the page says so.
    var scopes: RouteHandler {
        { _, _ in
            let scenario = state.scenario
            func codes(_ scopes: [String]) -> HTML { scopes.map { scope -> HTML in "<code>\(scope)</code>" }.concatenated(separator: " ") }
            let content: HTML = """
                <p id="scope-advice" class="note">Scope advice is unavailable: it needs the scopes of every Confluence operation, and \
                the mock knows them only for the operations it serves. Until then, a refused request's page lists the scopes it \
                lacked (Requests, then the request).</p>
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
