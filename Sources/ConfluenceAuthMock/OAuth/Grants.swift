import AuthMockFormats

extension MockConfluence {
    /// What an OAuth access token grants: who, through which app, which scopes, on which sites, until when.
    public struct AccessGrant: Sendable, Equatable {
        public let accountId: String
        public let clientId: String
        public let scopes: [String]
        /// For a Connect app's `client_credentials` token: the app key and its installation's client key.
        public var app: (key: String, clientKey: String)? { appKey.map { ($0, clientKey ?? "") } }
        let appKey: String?
        let clientKey: String?
        /// For a Forge app token: the app, its installation and the kind of token.
        let forge: ForgeGrant?
        /// Site names.
        public let sites: [String]
        public let issuedAt: Double
        public let expiresAt: Double

        init(_ terms: GrantTerms, issuedAt: Double, expiresAt: Double, appKey: String? = nil, clientKey: String? = nil, forge: ForgeGrant? = nil) {
            accountId = terms.accountId
            clientId = terms.clientId
            scopes = terms.scopes
            sites = terms.sites
            self.issuedAt = issuedAt
            self.expiresAt = expiresAt
            self.appKey = appKey
            self.clientKey = clientKey
            self.forge = forge
        }

        /// Who granted what to which app, as a refresh token carries it on.
        var terms: GrantTerms { GrantTerms(accountId: accountId, clientId: clientId, scopes: scopes, sites: sites) }

        public static func == (lhs: AccessGrant, rhs: AccessGrant) -> Bool {
            lhs.accountId == rhs.accountId && lhs.clientId == rhs.clientId && lhs.scopes == rhs.scopes && lhs.sites == rhs.sites
                && lhs.issuedAt == rhs.issuedAt && lhs.expiresAt == rhs.expiresAt && lhs.appKey == rhs.appKey && lhs.clientKey == rhs.clientKey
                && lhs.forge == rhs.forge
        }
    }
}

/// What a Forge app token stands for.
struct ForgeGrant: Sendable, Equatable {
    let appId: String
    let installationId: String
    let kind: ForgeTokenKind
}

extension MockConfluence {
    /// The token endpoint's answer (docs/reference.md §1.5), as minting returns it too.
    public struct TokenResponse: Sendable, Equatable {
        /// The access token (an RS256 JWT).
        public let accessToken: String
        /// Seconds until the access token expires, on the scenario clock.
        public let expiresIn: Int
        /// The granted scopes, space-separated.
        public let scope: String
        /// With `offline_access`: the refresh token.
        public let refreshToken: String?

        /// The answer as `POST /oauth/token` gives it.
        public var json: JSONValue {
            var object = JSONObject([("access_token", .string(accessToken)), ("expires_in", .int(expiresIn)),
                                     ("token_type", "Bearer"), ("scope", .string(scope))])
            if let refreshToken { object["refresh_token"] = .string(refreshToken) }
            return .object(object)
        }
    }
}

/// Whether a bearer token is one the mock issued and still honours.
enum AccessTokenStatus: Equatable {
    case valid(AccessGrant)
    case expired(AccessGrant)
    case unknown

    /// The grant when valid, else why the token is refused (the journal's reason).
    var grant: Result<AccessGrant, TokenRefusal> {
        switch self {
        case .valid(let grant): .success(grant)
        case .expired: .failure(TokenRefusal(reason: "access token expired"))
        case .unknown: .failure(TokenRefusal(reason: "unknown access token"))
        }
    }
}

/// Why a bearer token is not honoured.
struct TokenRefusal: Error, Equatable {
    let reason: String
}

/// Who granted which scopes on which sites to which app: decided at consent and carried unchanged
/// through the authorization code, the refresh tokens and every access token issued from them.
struct GrantTerms: Sendable, Equatable {
    let accountId: String
    let clientId: String
    let scopes: [String]
    let sites: [String]

    /// The same terms on `sites` (the subset a person picked on the consent page).
    func on(_ sites: [String]) -> GrantTerms { GrantTerms(accountId: accountId, clientId: clientId, scopes: scopes, sites: sites) }
}

/// An authorization code, single-use, for one client and redirect URI.
struct AuthorizationCode: Sendable {
    let terms: GrantTerms
    let redirectUri: String
    let expiresAt: Double
    /// The `resource` (RFC 8707) the authorize request named: Atlassian accepts it there and
    /// refuses the code's exchange (docs/reference.md §8.9).
    var resource: String?
    var used = false
    /// Access tokens and the refresh family issued for it (revoked if the code is used again).
    var issuedAccessTokens: [String] = []
    var family: String?
    /// Set when the code was presented again: what it issued is revoked, even if stored later.
    var replayed = false
}

/// A refresh token: its family (every rotation of one grant) and what refreshing it grants.
struct RefreshGrant: Sendable {
    let family: String
    let terms: GrantTerms
    let issuedAt: Double
    /// Set when it was exchanged for a newer one; it still works within the reuse interval.
    var rotatedAt: Double?
}
