import AuthMockHTTP

extension AdminAPI {
    /// `POST /__admin/tokens` with `{"user", "client", "scopes", "sites", "expiresIn", "offline"}` →
    /// 200 as the token endpoint answers; 400 with every problem otherwise.
    var mintToken: RouteHandler {
        Self.acting(TokenRequest.init, failure: "cannot mint a token", { [state] body, _ in OAuthGrants(state: state).mintToken(body) },
                    answer: { .json($0.json, headers: ["Cache-Control": "no-store"]) })
    }

    /// `POST /__admin/tokens/revoke` `{"user", "client"}` → `{"revoked":{"accessTokens","refreshTokens","codes"}}`.
    var revokeTokens: RouteHandler {
        Self.acting(RevocationRequest.init, failure: "cannot revoke tokens", { [state] body, _ in OAuthGrants(state: state).revokeTokens(body) }, answer: { .json($0.json) })
    }
}
