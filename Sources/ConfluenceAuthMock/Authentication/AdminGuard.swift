import AuthMockCrypto
import AuthMockHTTP

/// `--admin-token`: the admin API wants `Authorization: Bearer <admin token>`, compared in constant time.
enum AdminGuard {
    /// `nil` when no token is set or the request presents it; else 401 with a `WWW-Authenticate` challenge.
    static func refusal(_ credential: Credential, token expected: String?) -> HTTPResponse? {
        guard let expected else { return nil }
        if let presented = credential.bearerToken, !presented.isEmpty, ConstantTime.equals(presented, expected) { return nil }
        var response = AdminAPI.error(.unauthorized, "the admin API needs Authorization: Bearer <admin token>")
        response.headers.set("WWW-Authenticate", "Bearer realm=\"confluence-auth-mock admin\"")
        return response
    }
}
