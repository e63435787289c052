import AuthMockHTTP

extension AdminAPI {
    /// `POST /__admin/tokens` with `{"user", "client", "scopes", "sites", "expiresIn", "offline"}` →
    /// 200 as the token endpoint answers; 400 with every problem otherwise.
    var mintToken: RouteHandler {
        Self.acting(TokenRequest.init, failure: "cannot mint a token", { [state] body, _ in OAuthGrants(state: state).mintToken(body) },
                    answer: { .json($0.json, headers: ["Cache-Control": "no-store"]) })
    }

    /// `POST /__admin/tokens/inspect` `{"token"}` → the token's kind, header, claims, signature and
    /// status (``TokenInspection``); any string is answered, one that is no token as `unknown`.
    var inspectToken: RouteHandler {
        Self.acting({ node in node.object(keys: ["token"])?.required("token")?.string }, failure: "cannot inspect the token",
                    { [state] token, _ in .success(TokenInspector(state: state).inspect(token)) }, answer: { .json($0.json, headers: ["Cache-Control": "no-store"]) })
    }

    /// `POST /__admin/tokens/revoke` `{"user", "client"}` → `{"revoked":{"accessTokens","refreshTokens","codes"}}`.
    var revokeTokens: RouteHandler {
        Self.acting(RevocationRequest.init, failure: "cannot revoke tokens", { [state] body, _ in OAuthGrants(state: state).revokeTokens(body) }, answer: { .json($0.json) })
    }
}
