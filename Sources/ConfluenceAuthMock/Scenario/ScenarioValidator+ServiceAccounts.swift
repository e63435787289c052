extension ScenarioValidator {
    /// A service account's sites and spaces must exist, and its API tokens must be its own: a token
    /// shared with a user or another account would make the credential mean two callers.
    func checkServiceAccounts() {
        let userTokens = Set(scenario.users.flatMap { $0.apiTokens.map(\.token) })
        var seen: [String: JSONPath] = [:]
        for (index, account) in scenario.serviceAccounts.enumerated() {
            let accountPath = path("serviceAccounts", index)
            for siteName in account.sites.keys.sorted() {
                let sitePath = accountPath.appending(key: "sites").appending(key: siteName)
                checkSpaces(account.sites[siteName]!, onSite: siteName, at: sitePath.appending(key: "spaces"), sitePath: sitePath)
            }
            for (tokenIndex, token) in account.apiTokens.enumerated() {
                let tokenPath = accountPath.appending(key: "apiTokens").appending(index: tokenIndex).appending(key: "token")
                if userTokens.contains(token.token) {
                    issues.add(tokenPath, "this API token is also a user's; a service account's tokens must be its own")
                } else if let first = seen[token.token] {
                    issues.add(tokenPath, "duplicate API token (first used at \(first))")
                }
                seen[token.token] = seen[token.token] ?? tokenPath
            }
        }
    }
}
