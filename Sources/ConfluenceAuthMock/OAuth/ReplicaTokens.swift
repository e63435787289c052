import AuthMockCrypto
import AuthMockFormats

/// Access tokens a replica minted: when the scenario fixes the signing keys (`keys`), mocks
/// started from it sign alike, and a user's access token one of them minted is honoured by the
/// others although their stores never saw it (docs/state.md "Fixed keys"). The token must verify
/// with the mock's own OAuth key and carry the grant in its claims; the sites, which Atlassian's
/// tokens do not name, travel in one claim of the mock's own that is added only under fixed keys.
/// Revocation, refresh tokens, and Connect and Forge app tokens stay with the mock that issued them.
enum ReplicaTokens {
    /// The claim naming the grant's sites.
    static let sitesClaim = "https://confluence-auth-mock/sites"

    /// The token's grant when it is one a replica minted, judged on the scenario clock at `now`;
    /// `.unknown` otherwise.
    static func status(of token: String, keys: SigningKeys, scenario: Scenario, now: Double) -> AccessTokenStatus {
        guard !scenario.keys.isEmpty, let jwt = try? JWT.decode(token),
              (try? jwt.verifySignature(using: keys[.oauth].verificationKey, allowing: [.rs256])) != nil,
              let grant = grant(jwt.claims)
        else { return .unknown }
        return now < grant.expiresAt ? .valid(grant) : .expired(grant)
    }

    private static func grant(_ claims: JSONObject) -> AccessGrant? {
        guard claims["iss"]?.stringValue == TokenSigning.issuer, let account = claims["sub"]?.stringValue, let client = claims["client_id"]?.stringValue,
              let scope = claims["scope"]?.stringValue, let issuedAt = claims["iat"]?.numberValue, let expiresAt = claims["exp"]?.numberValue,
              let sites = claims[sitesClaim]?.arrayValue?.compactMap(\.stringValue)
        else { return nil }
        let terms = GrantTerms(accountId: account, clientId: client, scopes: scope.split(separator: " ").map(String.init), sites: sites)
        return AccessGrant(terms, issuedAt: issuedAt, expiresAt: expiresAt)
    }
}
