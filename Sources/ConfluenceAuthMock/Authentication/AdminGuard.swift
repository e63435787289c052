import AuthMockCrypto
import AuthMockHTTP

/// `--admin-token`: the admin API wants `Authorization: Bearer <admin token>`, compared in constant
/// time. The console's pages (and the event stream they follow) also take the session cookie that
/// signing in with the token sets; the sign-in page itself is open.
enum AdminGuard {
    /// `nil` when no token is set or the request presents it; a console page not signed in goes to
    /// the sign-in page; else 401 with a `WWW-Authenticate` challenge.
    static func refusal(_ request: HTTPRequest, _ credential: Credential, token expected: String?, console: ConsoleSession) -> HTTPResponse? {
        guard let expected else { return nil }
        if let presented = credential.bearerToken, !presented.isEmpty, ConstantTime.equals(presented, expected) { return nil }
        if ConsoleSession.covers(request) {
            if request.path == ConsoleSession.signInPath || console.isSignedIn(request) { return nil }
            if request.method == "GET" && request.path != "/__admin/events" { return ConsoleSession.signInRedirect(request) }
        }
        var response = AdminAPI.error(.unauthorized, "the admin API needs Authorization: Bearer <admin token>")
        response.headers.set("WWW-Authenticate", "Bearer realm=\"confluence-auth-mock admin\"")
        return response
    }
}
