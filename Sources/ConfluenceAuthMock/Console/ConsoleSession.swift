import AuthMockCrypto
import AuthMockHTTP
import AuthMockFormats

/// The console's secrets, made once per mock: the value of the session cookie that signing in
/// with the admin token sets, and the CSRF tokens its forms carry. The cookie is `HttpOnly` (no
/// script reads it) and `SameSite=Strict` (no other site's page sends it); the CSRF token is
/// checked on every form the console accepts, so a page elsewhere cannot post one blind.
struct ConsoleSession: Sendable {
    static let cookieName = "confluence-auth-mock-console"
    static let signInPath = "/__admin/ui/sign-in"

    let cookieValue = SecureRandom.token()
    /// Carried by every state-changing form of a signed-in console.
    let csrfToken = SecureRandom.token()
    /// Carried by the sign-in form, which anyone may load.
    let signInCSRFToken = SecureRandom.token()

    /// The `Set-Cookie` value that signs a browser in; `Secure` when it came over TLS.
    func setCookie(secure: Bool) -> String {
        "\(Self.cookieName)=\(cookieValue); Path=/__admin; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// Whether `request` is the console's: its pages, and the event stream they follow.
    static func covers(_ request: HTTPRequest) -> Bool {
        request.path == "/__admin/ui" || request.path.hasPrefix("/__admin/ui/") || (request.method == "GET" && request.path == "/__admin/events")
    }

    /// Whether `request` carries this mock's session cookie.
    func isSignedIn(_ request: HTTPRequest) -> Bool {
        guard let presented = request.cookie(Self.cookieName), !presented.isEmpty else { return false }
        return ConstantTime.equals(presented, cookieValue)
    }

    /// Whether a posted form's `csrf` field is `expected`.
    static func checks(_ form: [String: String], expected: String) -> Bool {
        guard let presented = form["csrf"], !presented.isEmpty else { return false }
        return ConstantTime.equals(presented, expected)
    }

    /// Where a browser not signed in goes: the sign-in page, which sends it back to `next` after.
    static func signInRedirect(_ request: HTTPRequest) -> HTTPResponse {
        HTTPResponse(status: .seeOther, headers: ["Location": "\(signInPath)?next=\(PercentEncoding.encodeUnreserved(request.target))",
                                                   "Cache-Control": "no-store"])
    }

    /// `next` when it is a console page, else the overview: the sign-in form never sends a
    /// browser off the console (no open redirect).
    static func safeNext(_ next: String?) -> String {
        guard let next, next == "/__admin/ui" || next.hasPrefix("/__admin/ui/") || next.hasPrefix("/__admin/ui?"),
              !next.contains("//"), !next.contains("\\") else { return "/__admin/ui" }
        return next
    }
}
