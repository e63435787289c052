import AuthMockCrypto

/// The OAuth 2.0 grants over one mock's token store: authorization codes, their exchange, refresh
/// rotation, client credentials, consents and revocation. Each is made for one request (or one
/// admin or Swift call) with the one scenario value it reads throughout, so a scenario swapped in
/// meanwhile is never mixed in. Decisions are made under the state lock; RS256 signing happens
/// outside it.
struct OAuthGrants {
    let state: MockState
    let scenario: Scenario
    /// The scenario clock's time the grants are made at (exchanges and refreshes read it again
    /// under the lock that changes the token store).
    let now: Double
    let keys: SigningKeys

    /// Grants over `state`, reading the request's `snapshot`; without one, a snapshot taken now.
    init(state: MockState, snapshot: StateSnapshot? = nil) {
        let snapshot = snapshot ?? state.snapshot(bearer: nil)
        self.state = state
        scenario = snapshot.scenario
        now = snapshot.now
        keys = snapshot.keys
    }

    /// Mints tokens as if the OAuth dance had happened (`POST /__admin/tokens`, `mintToken`).
    func mintToken(_ request: TokenRequest) -> Result<TokenResponse, TokenRequestError> {
        TokenMinter(scenario: scenario, now: now).grant(request).map { issueTokens(for: $0, family: nil).response }
    }

    /// Stores a new authorization code for `terms`, valid for the scenario's code lifetime, and
    /// returns its value.
    func issueCode(_ terms: GrantTerms, redirectUri: String, resource: String? = nil) -> String {
        let code = AuthorizationCode(terms: terms, redirectUri: redirectUri, expiresAt: now + Double(scenario.tokens.authorizationCodeLifetime),
                                     resource: resource)
        let value = SecureRandom.token()
        state.withTokens { $0.issue(code, value: value) }
        return value
    }

    /// `grant_type=authorization_code`: single-use, unexpired, for this client and redirect URI.
    /// A second use fails and revokes what the first issued (RFC 6749 §4.1.2).
    func exchangeCode(_ value: String, clientId: String, redirectUri: String) -> Result<TokenResponse, OAuthError> {
        let claimed: Result<(AuthorizationCode, Double), OAuthError> = state.withTokensAndClock { tokens, now in
            guard let code = tokens.codes[value], code.terms.clientId == clientId else { return .failure(.invalidCode) }
            if code.used {
                tokens.updateCode(value) { $0.replayed = true }
                tokens.revokeAccessTokens(code.issuedAccessTokens)
                if let family = code.family { tokens.revokeFamily(family) }
                return .failure(.invalidCode)
            }
            guard now < code.expiresAt else { return .failure(.invalidCode) }
            guard code.redirectUri == redirectUri else {
                return .failure(OAuthError(status: .forbidden, error: "invalid_grant", description: "redirect_uri does not match the one authorized"))
            }
            // Every attempt fails while the code lives, so a client cannot tell a retry apart.
            guard code.resource == nil else { return .failure(.badRequest("invalid_target", "Incorrect resource parameters")) }
            tokens.updateCode(value) { $0.used = true }
            return .success((code, now))
        }
        let code: AuthorizationCode, now: Double
        switch claimed {
        case .failure(let error): return .failure(error)
        case .success(let value): (code, now) = value
        }
        let issued = issueTokens(for: accessGrant(code.terms, now: now), family: nil)
        state.withTokens { tokens in
            tokens.updateCode(value) { $0.issuedAccessTokens = [issued.response.accessToken]; $0.family = issued.family }
            if tokens.codes[value]?.replayed == true {
                tokens.revokeAccessTokens([issued.response.accessToken])
                if let family = issued.family { tokens.revokeFamily(family) }
            }
        }
        return .success(issued.response)
    }

    /// `grant_type=refresh_token` with rotation (docs/reference.md §1.7): each use returns a new refresh
    /// token; the old one still works within the reuse interval; after it, using it revokes the
    /// whole family; a family unused for the inactivity period expires.
    func refresh(_ token: String, clientId: String) -> Result<TokenResponse, OAuthError> {
        let settings = scenario.tokens
        let checked: Result<(RefreshGrant, Double), OAuthError> = state.withTokensAndClock { tokens, now in
            guard let grant = tokens.refreshGrant(token), grant.terms.clientId == clientId else { return .failure(.invalidRefreshToken) }
            if let lastUsed = tokens.lastUsed(family: grant.family), now >= lastUsed + Double(settings.refreshTokenInactivity) {
                tokens.revokeFamily(grant.family)
                return .failure(.invalidRefreshToken)
            }
            if let rotatedAt = grant.rotatedAt, now > rotatedAt + Double(settings.refreshTokenReuseInterval) {
                tokens.revokeFamily(grant.family)
                return .failure(.invalidRefreshToken)
            }
            tokens.markRotated(token, at: now)
            return .success((grant, now))
        }
        let grant: RefreshGrant, now: Double
        switch checked {
        case .failure(let error): return .failure(error)
        case .success(let value): (grant, now) = value
        }
        return .success(issueTokens(for: accessGrant(grant.terms, now: now), family: grant.family).response)
    }

    /// `grant_type=client_credentials` for a Connect app on Forge (docs/reference.md §1.4): the
    /// installation's `oauthClientId` and `sharedSecret`; a token for its site, no refresh token.
    /// (A service account's credential goes to ``serviceAccountToken(_:_:secret:scope:)``.)
    func clientCredentials(clientId: String, secret: String) -> Result<TokenResponse, OAuthError> {
        for app in scenario.connectApps {
            for installation in app.installations where installation.oauthClientId == clientId {
                guard ConstantTime.equals(secret, installation.sharedSecret) else { break }
                let grant = accessGrant(GrantTerms(accountId: "", clientId: clientId, scopes: [], sites: [installation.site]), now: now,
                                        app: (app.key, installation.clientKey))
                let issued = issueTokens(for: grant, family: nil).response
                return .success(TokenResponse(accessToken: issued.accessToken, expiresIn: issued.expiresIn,
                                              scope: app.scopes.map(\.rawValue).joined(separator: " "), refreshToken: nil))
            }
        }
        return .failure(.clientRefused(scenario.profile))
    }

    /// `grant_type=client_credentials` with a service account's credential (docs/reference.md
    /// §8.5): the credential's scopes, or the subset `scope` asks for (a scope outside them is
    /// `invalid_scope`), on the account's sites, for `serviceAccountTokenLifetime`; no refresh token.
    func serviceAccountToken(_ account: ServiceAccount, _ credential: ServiceAccount.OAuthCredential, secret: String,
                                     scope: String?) -> Result<TokenResponse, OAuthError> {
        guard ConstantTime.equals(secret, credential.clientSecret) else { return .failure(.clientRefused(scenario.profile)) }
        var scopes = credential.scopes
        if let requested = scope?.split(separator: " ").map(String.init), !requested.isEmpty {
            let outside = requested.filter { !credential.scopes.contains($0) }
            guard outside.isEmpty else { return .failure(.badRequest("invalid_scope", "Scopes not granted to this credential: \(outside.joined(separator: " "))")) }
            scopes = credential.scopes.filter(requested.contains)
        }
        let terms = GrantTerms(accountId: account.accountId, clientId: credential.clientId, scopes: scopes, sites: account.sites.keys.sorted())
        let grant = AccessGrant(terms, issuedAt: now, expiresAt: now + Double(scenario.tokens.serviceAccountTokenLifetime))
        return .success(issueTokens(for: grant, family: nil).response)
    }

    /// An access grant for the scenario's access-token lifetime: a user's, or with `app` a Connect
    /// app installation's (its key and client key).
    private func accessGrant(_ terms: GrantTerms, now: Double, app: (key: String, clientKey: String)? = nil) -> AccessGrant {
        AccessGrant(terms, issuedAt: now, expiresAt: now + Double(scenario.tokens.accessTokenLifetime), appKey: app?.key, clientKey: app?.clientKey)
    }

    /// Signs the grant's access token (and, with `offline_access`, a refresh token in `family` or
    /// a new one) and stores them: the one path every grant type issues tokens through.
    private func issueTokens(for grant: AccessGrant, family: String?) -> (response: TokenResponse, family: String?) {
        let email = scenario.user(grant.accountId)?.email ?? ""
        let accessToken = TokenMinter.signedAccessToken(grant, email: email, key: keys[.oauth], replicas: !scenario.keys.isEmpty && grant.appKey == nil)
        let offline = grant.scopes.contains("offline_access")
        let refreshFamily = offline ? (family ?? randomUUID()) : nil
        let refreshToken = offline ? SecureRandom.token() : nil
        state.withTokens { tokens in
            tokens.issue(grant, token: accessToken, family: refreshFamily)
            if let refreshToken, let refreshFamily {
                tokens.issue(RefreshGrant(family: refreshFamily, terms: grant.terms, issuedAt: grant.issuedAt), token: refreshToken,
                             inactivity: Double(scenario.tokens.refreshTokenInactivity))
            }
        }
        let response = TokenResponse(accessToken: accessToken, expiresIn: Int(grant.expiresAt - grant.issuedAt),
                                     scope: grant.scopes.joined(separator: " "), refreshToken: refreshToken)
        return (response, refreshFamily)
    }
}
