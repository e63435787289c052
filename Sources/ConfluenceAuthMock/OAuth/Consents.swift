import AuthMockCrypto
import AuthMockFormats

/// An authorization request waiting for a person (the consent page) or a test (the admin API).
struct PendingConsent: Sendable {
    let id: String
    /// What is asked for; its sites are those the user may grant (the page's site picker).
    let terms: GrantTerms
    let redirectUri: String
    let state: String?
    let csrfToken: String
    /// The authorize request's `resource`, carried to the code the consent issues.
    var resource: String?

    var json: JSONValue {
        .object(JSONObject([("id", .string(id)), ("clientId", .string(terms.clientId)), ("user", .string(terms.accountId)),
                            ("scopes", .array(terms.scopes.map { .string($0) })), ("sites", .array(terms.sites.map { .string($0) })),
                            ("state", state.map { .string($0) } ?? .null), ("redirectUri", .string(redirectUri))]))
    }
}

extension OAuthGrants {
    /// Holds an authorization request for a decision, under a new id.
    func addConsent(_ make: (_ id: String) -> PendingConsent) -> PendingConsent {
        let consent = make(randomUUID())
        state.withTokens { $0.addConsent(consent) }
        return consent
    }

    var pendingConsents: [PendingConsent] { state.withTokens { Array($0.consents.values).sorted { $0.id < $1.id } } }

    /// Decides a pending consent once: approval issues a code for the chosen sites (default: all
    /// offered), denial sends `access_denied`. Returns the URL to send the browser back to.
    func decideConsent(id: String, approve: Bool, sites: [String]?) -> Result<String, ConsentError> {
        guard let consent = state.withTokens({ $0.takeConsent(id) }) else { return .failure(.unknown) }
        let back = { (parameters: [(String, String)]) in
            PlatformAPI.location(consent.redirectUri, parameters + (consent.state.map { [("state", $0)] } ?? []))
        }
        guard approve else { return .success(back([("error", "access_denied"), ("error_description", "User did not authorize the request")])) }
        let chosen = sites ?? consent.terms.sites
        guard !chosen.isEmpty, chosen.allSatisfy(consent.terms.sites.contains) else {
            state.withTokens { $0.addConsent(consent) }
            return .failure(.badSites(consent.terms.sites))
        }
        let code = issueCode(consent.terms.on(chosen), redirectUri: consent.redirectUri, resource: consent.resource)
        return .success(back([("code", code)]))
    }
}

enum ConsentError: Error, Equatable {
    case unknown
    case badSites([String])
}

/// What each scope lets an app do, for the consent page (docs/reference.md §2.1).
enum ScopeDescriptions {
    static let classic: [String: String] = [
        "read:confluence-content.all": "Read all content, including content body",
        "read:confluence-content.summary": "Read content without expansions",
        "write:confluence-content": "Create pages, blogs, comments and questions",
        "read:confluence-space.summary": "Read a summary of space information",
        "write:confluence-space": "Create, update and delete space information",
        "search:confluence": "Search Confluence",
        "read:confluence-user": "View user information",
        "read:me": "View your profile", "read:account": "View user profiles",
        "offline_access": "Keep access when you are not using the app (refresh tokens)",
    ]

    static func describe(_ scope: String) -> String {
        if let text = classic[scope] { return text }
        let parts = scope.split(separator: ":")
        guard parts.count == 3 else { return scope }
        let action = parts[0].prefix(1).uppercased() + parts[0].dropFirst()
        return "\(action) \(String(parts[1]).replacingAll("-", with: " ").replacingAll(".", with: " ")) in Confluence"
    }
}
