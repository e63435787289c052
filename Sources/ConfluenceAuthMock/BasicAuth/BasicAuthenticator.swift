import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP

/// What a request's `Authorization` header says about basic auth.
enum BasicAuthResult: Equatable {
    /// No `Authorization` header.
    case absent
    /// `email:api_token` of a scenario user.
    case user(User, token: APIToken)
    /// Refused; `email` as sent when it could be read (for CAPTCHA counting, never for the answer).
    case refused(AuthenticationFailure, email: String?)
    /// `Authorization: Bearer`: an OAuth or Forge token, or an API token sent by mistake.
    case bearer(String)
    /// Another scheme (a Connect JWT): not basic auth's to decide.
    case otherScheme
}

/// Checks `Authorization: Basic` credentials against the scenario's users (reference §3).
/// Secrets are compared in constant time, and an unknown email gets exactly the answer a wrong
/// token gets, so the mock never tells whether an account exists.
struct BasicAuthenticator {
    let scenario: Scenario

    func authenticate(_ request: HTTPRequest) -> BasicAuthResult {
        guard let header = request.headers["Authorization"] else { return .absent }
        let scheme = header.prefix { $0 != " " }.lowercased()
        let credential = String(header.drop { $0 != " " }.drop { $0 == " " })
        switch scheme {
        case "basic": return checkBasic(credential)
        case "bearer": return .bearer(credential)
        default: return .otherScheme
        }
    }

    private func checkBasic(_ credential: String) -> BasicAuthResult {
        guard let decoded = Base64.decode(credential), let text = String(validating: decoded, as: UTF8.self),
              let colon = text.firstIndex(of: ":")
        else { return .refused(.badToken, email: nil) }
        let email = String(text[..<colon]), secret = String(text[text.index(after: colon)...])
        guard let user = scenario.users.first(where: { $0.email.lowercased() == email.lowercased() }) else {
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

    private static let decoy = "confluence-auth-mock-decoy-token"
}
