import AuthMockHTTP

extension AdminAPI {
    /// `POST /__admin/tokens` with `{"user", "client", "scopes", "sites", "expiresIn", "offline"}` →
    /// 200 as the token endpoint answers; 400 with every problem otherwise.
    var mintToken: RouteHandler {
        { request, _ in
            switch Self.readBody(request, TokenRequest.init) {
            case .failure(let error):
                return error.response
            case .success(let tokenRequest):
                switch state.mintToken(tokenRequest) {
                case .success(let response): return .json(response.json, headers: ["Cache-Control": "no-store"])
                case .failure(let error): return Self.error(.badRequest, "cannot mint a token", issues: error.issues)
                }
            }
        }
    }
}
