extension Scenario {
    /// The user named by account id or email (emails compare case-insensitively), as scenarios,
    /// consents, token requests and journal filters name them; `nil` when the scenario has none.
    /// A service account is found too, as the user record it acts as.
    public func user(_ reference: String) -> User? {
        func named(_ accountId: String, _ email: String) -> Bool { accountId == reference || email.equalsIgnoringCase(reference) }
        return users.first { named($0.accountId, $0.email) } ?? serviceAccounts.first { named($0.accountId, $0.email) }?.asUser
    }

    /// The service account with this account id or email.
    func serviceAccount(_ reference: String) -> ServiceAccount? {
        serviceAccounts.first { $0.accountId == reference || $0.email.equalsIgnoringCase(reference) }
    }

    /// The service account and credential with this OAuth client id.
    func serviceAccountCredential(clientId: String) -> (account: ServiceAccount, credential: ServiceAccount.OAuthCredential)? {
        for account in serviceAccounts {
            if let credential = account.oauthCredentials.first(where: { $0.clientId == clientId }) { return (account, credential) }
        }
        return nil
    }

    /// The names a journal entry may record for `reference`: itself, and for a user its account
    /// id and email.
    func principalNames(_ reference: String) -> [String] {
        [reference] + (user(reference).map { [$0.accountId, $0.email] } ?? [])
    }

    /// The user with this account id exactly (where a token or JWT names a user, an email is not accepted).
    func user(accountId: String) -> User? {
        users.first { $0.accountId == accountId } ?? serviceAccounts.first { $0.accountId == accountId }?.asUser
    }

    /// Who consents when `client` asks: the browser's signed-in user when there is one, else the
    /// client's `consent.user`, else the first user.
    func consentingUser(for client: OAuthClient, signedIn: String?) -> User? {
        (signedIn ?? client.consent.user).flatMap { user($0) } ?? users.first
    }

    /// The sites a consent grants `user`: the client's consent sites when the consent is this
    /// user's (or names no user), otherwise every site where the user has access.
    func consentSites(for client: OAuthClient, user: User) -> [String] {
        if let consented = client.consent.sites, client.consent.user.map({ self.user($0) == user }) ?? true { return consented }
        return sites.map(\.name).filter { user.sites[$0] != nil }
    }
}
