import AuthMockCrypto
import AuthMockHTTP

extension Console {
    /// `GET /__admin/ui/sign-in[?next=PATH]`: the form for the admin token (`--admin-token`).
    var signInPage: RouteHandler {
        { request, _ in signInForm(next: request.queryValue("next"), refused: false) }
    }

    /// `POST /__admin/ui/sign-in` with `token`: the right token sets the session cookie and goes on
    /// to `next` (a console page); a wrong one gets the form again, with 401.
    var signIn: RouteHandler {
        { request, _ in
            switch form(request, csrf: session.signInCSRFToken) {
            case .failure(let refusal): return refusal.response
            case .success(let fields):
                let next = ConsoleSession.safeNext(fields["next"])
                guard let expected = adminToken else { return Self.seeOther(next) }
                guard let token = fields["token"], !token.isEmpty, ConstantTime.equals(token, expected) else {
                    return signInForm(next: next, refused: true)
                }
                var response = Self.seeOther(next)
                response.headers.set("Set-Cookie", session.setCookie(secure: request.isSecure))
                return response
            }
        }
    }

    private func signInForm(next: String?, refused: Bool) -> HTTPResponse {
        let note: HTML = adminToken == nil
            ? "<p class=\"note\">This mock has no admin token: the console is open, and signing in is not needed.</p>"
            : refused ? "<p class=\"denied\" id=\"sign-in-refused\">That is not this mock's admin token.</p>" : .empty
        return ConsoleLayout.page("Sign in", section: nil, status: refused ? .unauthorized : .ok, """
            \(note)<form method="post" action="/__admin/ui/sign-in">\(ConsoleLayout.csrfField(session.signInCSRFToken))
            <input type="hidden" name="next" value="\(ConsoleSession.safeNext(next))">
            <p><label>Admin token (<code>--admin-token</code>) <input type="password" name="token" autocomplete="current-password" autofocus></label>
            <button type="submit">Sign in</button></p></form>
            """)
    }
}
