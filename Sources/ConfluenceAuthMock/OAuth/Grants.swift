import AuthMockFormats

/// What an OAuth access token grants: who, through which app, which scopes, on which sites, until when.
public struct AccessGrant: Sendable, Equatable {
    public let accountId: String
    public let clientId: String
    public let scopes: [String]
    /// Site names.
    public let sites: [String]
    public let issuedAt: Double
    public let expiresAt: Double
}

/// The token endpoint's answer (reference §1.5), as minting returns it too.
public struct TokenResponse: Sendable, Equatable {
    public let accessToken: String
    public let expiresIn: Int
    public let scope: String
    public let refreshToken: String?

    public var json: JSONValue {
        var object = JSONObject([("access_token", .string(accessToken)), ("expires_in", .int(expiresIn)),
                                 ("token_type", "Bearer"), ("scope", .string(scope))])
        if let refreshToken { object["refresh_token"] = .string(refreshToken) }
        return .object(object)
    }
}

/// Whether a bearer token is one the mock issued and still honours.
enum AccessTokenStatus: Equatable {
    case valid(AccessGrant)
    case expired(AccessGrant)
    case unknown
}

/// A refresh token's family and what refreshing it grants (rotation comes with the token endpoint).
struct RefreshGrant: Sendable {
    let family: String
    let accountId: String
    let clientId: String
    let scopes: [String]
    let sites: [String]
    let issuedAt: Double
}

/// Every token a mock has issued. Reset empties it; a new scenario starts with a new one.
struct TokenStore: Sendable {
    private var accessTokens: [String: AccessGrant] = [:]
    private var refreshTokens: [String: RefreshGrant] = [:]

    mutating func issue(_ grant: AccessGrant, token: String) { accessTokens[token] = grant }
    mutating func issue(_ grant: RefreshGrant, token: String) { refreshTokens[token] = grant }

    /// Expired at and after `expiresAt` on the scenario clock.
    func status(of token: String, now: Double) -> AccessTokenStatus {
        guard let grant = accessTokens[token] else { return .unknown }
        return now < grant.expiresAt ? .valid(grant) : .expired(grant)
    }

    func refreshGrant(_ token: String) -> RefreshGrant? { refreshTokens[token] }
}
