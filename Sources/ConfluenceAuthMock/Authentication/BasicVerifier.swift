import AuthMockCrypto

/// What basic credentials come to.
enum BasicAuthResult: Equatable {
    /// `email:api_token` of a scenario user (or service account, as the user record it acts as).
    case user(User, token: APIToken)
    /// Refused; `email` as sent when it could be read (for CAPTCHA counting, never for the answer).
    case refused(AuthenticationFailure, email: String?)
}

/// Checks `Authorization: Basic` credentials against the scenario's users (docs/reference.md §3).
/// Secrets are compared in constant time, and an unknown email gets exactly the answer a wrong
/// token gets, so the mock never tells whether an account exists.
struct BasicVerifier {
    let scenario: Scenario

    /// Checks a basic credential; any other kind is a wrong token.
    func verify(_ credential: Credential) -> BasicAuthResult {
        guard case .basic(let email, let secret) = credential else { return .refused(.badToken, email: nil) }
        guard let user = scenario.users.first(where: { $0.email.equalsIgnoringCase(email) })
                ?? scenario.serviceAccounts.first(where: { $0.email.equalsIgnoringCase(email) })?.asUser else {
            // Spend the same comparison an existing user would cost, then answer as for a wrong token.
            _ = ConstantTime.equals(secret, Self.decoy)
            return .refused(.badToken, email: email)
        }
        // Compare with every token (no early exit) so timing does not tell which one matched.
        var matched: APIToken?
        for token in user.apiTokens where ConstantTime.equals(secret, token.token) { matched = matched ?? token }
        if let matched { return .user(user, token: matched) }
        if let password = user.password, ConstantTime.equals(secret, password) { return .refused(.password, email: email) }
        return .refused(.badToken, email: email)
    }

    /// Whether `value` is some user's API token (compared in constant time with each).
    func isAPIToken(_ value: String) -> Bool {
        var found = false
        for user in scenario.users {
            for token in user.apiTokens where ConstantTime.equals(value, token.token) { found = true }
        }
        return found
    }

    /// The service account whose scoped API token `value` is, and that token (compared in constant
    /// time with each).
    func serviceAccountToken(_ value: String) -> (ServiceAccount, APIToken)? {
        var found: (ServiceAccount, APIToken)?
        for account in scenario.serviceAccounts {
            for token in account.apiTokens where ConstantTime.equals(value, token.token) { found = found ?? (account, token) }
        }
        return found
    }

    private static let decoy = "confluence-auth-mock-decoy-token"
}
