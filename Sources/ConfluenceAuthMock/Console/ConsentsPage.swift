import AuthMockHTTP

extension Console {
    /// `GET /__admin/ui/consents`: authorization requests waiting for a decision (clients whose
    /// consent mode is `page`), each with the sites to grant and approve and deny buttons.
    var consents: RouteHandler {
        { _, _ in
            let pending = OAuthGrants(state: state).pendingConsents
            let scenario = state.scenario
            let items = pending.map { consent -> HTML in
                let sites = consent.terms.sites.map { name -> HTML in
                    let url = scenario.site(named: name)?.url ?? name
                    return "<label><input type=\"checkbox\" name=\"site\" value=\"\(name)\" checked> \(name) <span class=\"note\">\(url)</span></label><br>"
                }
                return """
                    <form method="post" action="/__admin/ui/consents/\(url: consent.id)" data-consent="\(consent.id)"><fieldset>
                    <legend><code>\(consent.terms.clientId)</code> asks <code>\(consent.terms.accountId)</code></legend>\(ConsoleLayout.csrfField(session.csrfToken))
                    <p>Scopes: \(consent.terms.scopes.map { scope -> HTML in "<code>\(scope)</code>" }.concatenated(separator: " "))</p>
                    <p>Redirect: <code>\(consent.redirectUri)</code>\(consent.state.map { " (state <code>\($0)</code>)" } ?? .empty)</p>
                    <p>Sites to grant:<br>\(sites)</p>
                    <button type="submit" name="decision" value="approve">Approve</button>
                    <button type="submit" name="decision" value="deny">Deny</button></fieldset></form>
                    """
            }
            let list: HTML = items.isEmpty ? "<p class=\"note\" id=\"no-consents\">No consent is pending.</p>" : "\(items)"
            return ConsoleLayout.page("Consents", section: .consents, list)
        }
    }

    /// `POST /__admin/ui/consents/{id}` with `decision` and `site`s: decides the consent (as
    /// `POST /__admin/consents/{id}`) and shows where the client's browser would be sent.
    var decideConsent: RouteHandler {
        { request, parameters in
            switch form(request) {
            case .failure(let refusal): return refusal.response
            case .success(let fields):
                let approve = fields["decision"] == "approve"
                let sites = request.formBody.filter { $0.name == "site" }.map(\.value)
                let id = parameters["id"] ?? ""
                switch OAuthGrants(state: state).decideConsent(id: id, approve: approve, sites: approve ? sites : nil) {
                case .success(let location):
                    return ConsoleLayout.page(approve ? "Consent approved" : "Consent denied", section: .consents, """
                        <p>The client's browser goes back to its redirect URI with \(approve ? "an authorization code" : "access_denied"):</p>
                        <p>\(Self.redirectLink(location))</p><p><a href="/__admin/ui/consents">Back to the pending consents</a></p>
                        """)
                case .failure(.unknown):
                    return ConsoleLayout.page("No such consent", section: .consents, status: .notFound, """
                        <p>No consent \(id) is pending: it was decided already, or the mock was reset.</p>
                        <p><a href="/__admin/ui/consents">Back to the pending consents</a></p>
                        """)
                case .failure(.badSites(let offered)):
                    return ConsoleLayout.page("Choose a site", section: .consents, status: .badRequest, """
                        <p>Approve grants at least one of the sites offered (\(offered.joined(separator: ", "))). The consent is still pending.</p>
                        <p><a href="/__admin/ui/consents">Back to the pending consents</a></p>
                        """)
                }
            }
        }
    }

    /// The redirect as a link when it is an http(s) URL (the only schemes a link here may have),
    /// else as text to copy: a registered redirect URI can be any scheme a native app uses.
    static func redirectLink(_ location: String) -> HTML {
        let lower = location.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return "<code id=\"redirect\">\(location)</code>" }
        return "<a id=\"redirect\" href=\"\(location)\">\(location)</a>"
    }
}
