/// Checks what a single value cannot: duplicate ids and references between parts of a scenario.
struct ScenarioValidator {
    let scenario: Scenario
    let issues: IssueCollector

    func validate() {
        checkSites()
        checkUsers()
        checkOAuthClients()
        checkServiceAccounts()
        checkConnectApps()
        checkForgeApps()
        checkResourcesAndFaults()
    }

    func path(_ key: String, _ index: Int) -> JSONPath { JSONPath.root.appending(key: key).appending(index: index) }

    /// Reports every value seen a second time, at the later element's path.
    func unique(_ values: [(value: String, path: JSONPath)], _ what: String) {
        var seen: [String: JSONPath] = [:]
        for (value, path) in values {
            if let first = seen[value] {
                issues.add(path, "duplicate \(what) \"\(value)\" (first used at \(first))")
            } else {
                seen[value] = path
            }
        }
    }

    func site(named name: String) -> Site? { scenario.sites.first { $0.name == name } }

    private func checkSites() {
        let sites = scenario.sites.enumerated()
        unique(sites.map { ($1.name, path("sites", $0).appending(key: "name")) }, "site name")
        unique(sites.map { ($1.cloudId.lowercased(), path("sites", $0).appending(key: "cloudId")) }, "cloud id")
        unique(sites.map { (urlHost($1.url) ?? $1.url, path("sites", $0).appending(key: "url")) }, "site host")
        for (index, site) in sites {
            let spaces = site.spaces.enumerated().map { (path("sites", index).appending(key: "spaces").appending(index: $0), $1) }
            unique(spaces.map { ($1.key, $0.appending(key: "key")) }, "space key")
            unique(spaces.map { ($1.id, $0.appending(key: "id")) }, "space id")
            unique(spaces.flatMap { spacePath, space in
                space.pages.enumerated().map { ($1.id, spacePath.appending(key: "pages").appending(index: $0).appending(key: "id")) }
            }, "page id")
        }
    }

    private func checkUsers() {
        let users = scenario.users.enumerated(), accounts = scenario.serviceAccounts.enumerated()
        // A service account shares the namespace of account ids and emails with people.
        unique(users.map { ($1.accountId, path("users", $0).appending(key: "accountId")) }
               + accounts.map { ($1.accountId, path("serviceAccounts", $0).appending(key: "accountId")) }, "account id")
        unique(users.map { ($1.email.lowercased(), path("users", $0).appending(key: "email")) }
               + accounts.map { ($1.email.lowercased(), path("serviceAccounts", $0).appending(key: "email")) }, "email")
        for (index, user) in users {
            for siteName in user.sites.keys.sorted() {
                let sitePath = path("users", index).appending(key: "sites").appending(key: siteName)
                checkSpaces(user.sites[siteName]!, onSite: siteName, at: sitePath.appending(key: "spaces"), sitePath: sitePath)
            }
        }
    }

    /// Space keys of a permission map must exist on the site (which must exist).
    func checkSpaces(_ permissions: SpacePermissions, onSite siteName: String, at spacesPath: JSONPath, sitePath: JSONPath) {
        guard let site = site(named: siteName) else {
            issues.add(sitePath, "unknown site \"\(siteName)\"; expected one of \(scenario.sites.map(\.name).joined(separator: ", "))")
            return
        }
        for key in permissions.keys.sorted() where !site.spaces.contains(where: { $0.key == key }) {
            issues.add(spacesPath.appending(key: key), "unknown space \"\(key)\" on site \"\(siteName)\"; expected one of \(site.spaces.map(\.key).joined(separator: ", "))")
        }
    }

    /// A user named by account id or email.
    private func isUser(_ reference: String) -> Bool {
        scenario.user(reference) != nil
    }

    private func checkSite(_ name: String, at path: JSONPath) {
        if site(named: name) == nil {
            issues.add(path, "unknown site \"\(name)\"; expected one of \(scenario.sites.map(\.name).joined(separator: ", "))")
        }
    }

    private func checkOAuthClients() {
        let clients = scenario.oauthClients.enumerated()
        // A service account's credential is an OAuth client id too: the token endpoint must tell them apart.
        let credentials = scenario.serviceAccounts.enumerated().flatMap { index, account in
            account.oauthCredentials.enumerated().map { ($1.clientId, path("serviceAccounts", index).appending(key: "oauthCredentials").appending(index: $0).appending(key: "clientId")) }
        }
        unique(clients.map { ($1.clientId, path("oauthClients", $0).appending(key: "clientId")) } + credentials, "client id")
        for (index, client) in clients {
            let consentPath = path("oauthClients", index).appending(key: "consent")
            if let user = client.consent.user, !isUser(user) {
                issues.add(consentPath.appending(key: "user"), "unknown user \"\(user)\"; expected an accountId or email of users[]")
            }
            for (siteIndex, site) in (client.consent.sites ?? []).enumerated() {
                checkSite(site, at: consentPath.appending(key: "sites").appending(index: siteIndex))
            }
        }
    }

    private func checkConnectApps() {
        let apps = scenario.connectApps.enumerated()
        unique(apps.map { ($1.key, path("connectApps", $0).appending(key: "key")) }, "app key")
        var clientKeys: [(String, JSONPath)] = []
        for (index, app) in apps {
            var sitesSeen: [(String, JSONPath)] = []
            for (installIndex, install) in app.installations.enumerated() {
                let installPath = path("connectApps", index).appending(key: "installations").appending(index: installIndex)
                checkSite(install.site, at: installPath.appending(key: "site"))
                clientKeys.append((install.clientKey, installPath.appending(key: "clientKey")))
                sitesSeen.append((install.site, installPath.appending(key: "site")))
                if let appUser = install.appUser, site(named: install.site) != nil {
                    checkSpaces(appUser, onSite: install.site, at: installPath.appending(key: "appUser").appending(key: "spaces"), sitePath: installPath)
                }
            }
            unique(sitesSeen, "installation site")
        }
        unique(clientKeys, "client key")
    }

    private func checkForgeApps() {
        let apps = scenario.forgeApps.enumerated()
        unique(apps.map { ($1.id, path("forgeApps", $0).appending(key: "id")) }, "Forge app id")
        var installIDs: [(String, JSONPath)] = []
        for (index, app) in apps {
            for (installIndex, install) in app.installations.enumerated() {
                let installPath = path("forgeApps", index).appending(key: "installations").appending(index: installIndex)
                checkSite(install.site, at: installPath.appending(key: "site"))
                installIDs.append((install.id, installPath.appending(key: "id")))
            }
        }
        unique(installIDs, "installation id")
    }

    /// Principals a fault or rate limit may name.
    private func isPrincipal(_ name: String) -> Bool {
        isUser(name) || scenario.oauthClients.contains { $0.clientId == name } || scenario.serviceAccountCredential(clientId: name) != nil || scenario.connectApps.contains { $0.key == name }
            || scenario.forgeApps.contains { $0.id == name }
    }

    private func checkResourcesAndFaults() {
        for (index, resource) in scenario.resources.enumerated() {
            if let space = resource.space, !scenario.sites.contains(where: { $0.spaces.contains { $0.key == space } }) {
                issues.add(path("resources", index).appending(key: "space"), "unknown space \"\(space)\" (no site has it)")
            }
        }
        unique(scenario.faults.enumerated().compactMap { index, fault in fault.name.map { ($0, path("faults", index).appending(key: "name")) } }, "fault name")
        let matches = scenario.faults.enumerated().map { (path("faults", $0), $1.match) }
            + scenario.rateLimits.enumerated().map { (path("rateLimits", $0), $1.match) }
        for (matchPath, match) in matches {
            if let principal = match.principal, !isPrincipal(principal) {
                issues.add(matchPath.appending(key: "match").appending(key: "principal"),
                           "unknown principal \"\(principal)\"; expected a user's accountId or email, an OAuth clientId or an app key or id")
            }
        }
        for (index, limit) in scenario.rateLimits.enumerated() where limit.match.counts {
            issues.add(path("rateLimits", index).appending(key: "match"),
                       "a rate limit counts requests itself; calls, every, after, times, probability and seed belong to faults")
        }
    }
}
