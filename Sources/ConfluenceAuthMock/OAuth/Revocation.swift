import AuthMockFormats

extension MockConfluence {
    /// Whose tokens to revoke: what a user granted a client, as when the user removes the app's
    /// access in their Atlassian account. Either side may be left out to mean "any".
    public struct RevocationRequest: Sendable {
        /// Account id or email; `nil`: every user.
        public var user: String?
        /// The client the tokens were issued to: an OAuth client id, a Connect app's `oauthClientId`
        /// or a Forge app id; `nil`: every client.
        public var client: String?

        public init(user: String? = nil, client: String? = nil) {
            self.user = user
            self.client = client
        }

        static let keys = ["user", "client"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            user = object.optional("user")?.nonEmptyString
            client = object.optional("client")?.nonEmptyString
        }
    }

    /// What a revocation removed.
    public struct Revocation: Sendable, Equatable {
        public let accessTokens: Int
        public let refreshTokens: Int
        /// Authorization codes not yet exchanged, which can now never be.
        public let codes: Int

        var json: JSONValue {
            .object(JSONObject([("revoked", .object(JSONObject([("accessTokens", .int(accessTokens)), ("refreshTokens", .int(refreshTokens)),
                                                                  ("codes", .int(codes))])))]))
        }
    }
}

extension OAuthGrants {
    /// Revokes every access token, refresh token (with its whole rotation family) and unexchanged
    /// code that `request.user` granted `request.client`. Afterwards the gateway answers those
    /// access tokens 401 and the token endpoint refuses the refresh tokens as unknown (403
    /// `invalid_grant`), exactly as for tokens it never issued.
    func revokeTokens(_ request: RevocationRequest) -> Result<Revocation, TokenRequestError> {
        var issues: [ScenarioIssue] = []
        if request.user == nil && request.client == nil {
            issues.append(ScenarioIssue(path: "", message: "name a user, a client or both"))
        }
        let accountId = request.user.flatMap { scenario.user($0)?.accountId }
        if let user = request.user, accountId == nil {
            issues.append(ScenarioIssue(path: "user", message: "unknown user \"\(user)\"; expected an accountId or email of the scenario's users"))
        }
        if let client = request.client, !scenario.tokenClientIds.contains(client) {
            issues.append(ScenarioIssue(path: "client", message: "unknown client \"\(client)\"; expected an OAuth client id, a Connect app's oauthClientId or a Forge app id"))
        }
        guard issues.isEmpty else { return .failure(TokenRequestError(issues: issues)) }
        return .success(state.withTokens { tokens in
            tokens.revoke { terms in
                (accountId.map { terms.accountId == $0 } ?? true) && (request.client.map { terms.clientId == $0 } ?? true)
            }
        })
    }
}

extension Scenario {
    /// Every id a token's grant can name as its client.
    var tokenClientIds: Set<String> {
        Set(oauthClients.map(\.clientId) + connectApps.flatMap { $0.installations.compactMap(\.oauthClientId) } + forgeApps.map(\.id))
    }
}
