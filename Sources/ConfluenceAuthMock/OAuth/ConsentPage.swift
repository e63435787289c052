import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP

/// The consent page: plain HTML that works without JavaScript, so a person, curl, Python
/// `requests` or a headless browser can complete it.
enum ConsentPage {
    static func render(_ consent: PendingConsent, app: String, scenario: Scenario) -> HTTPResponse {
        let scopes = consent.terms.scopes.map { "<li><code>\(escape($0))</code>: \(escape(ScopeDescriptions.describe($0)))</li>" }.joined()
        let sitePicker: String
        if consent.terms.sites.count > 1 {
            let options = consent.terms.sites.map { name in
                let url = scenario.sites.first { $0.name == name }?.url ?? name
                return "<option value=\"\(escape(name))\">\(escape(url))</option>"
            }.joined()
            sitePicker = "<label for=\"site\">Use app on</label> <select id=\"site\" name=\"site\">\(options)</select>"
        } else {
            sitePicker = consent.terms.sites.map { "<input type=\"hidden\" name=\"site\" value=\"\(escape($0))\">" }.joined()
        }
        return .html("""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(app)) is requesting access to your Atlassian account</title></head>
            <body><h1>\(escape(app)) is requesting access to your Atlassian account</h1>
            <form method="post" action="/authorize/consent">
            <input type="hidden" name="consent_id" value="\(escape(consent.id))">
            <input type="hidden" name="csrf_token" value="\(escape(consent.csrfToken))">
            <p>It will be able to:</p><ul>\(scopes)</ul>
            \(sitePicker)
            <button type="submit" name="decision" value="accept">Accept</button>
            <button type="submit" name="decision" value="deny">Deny</button>
            </form></body></html>
            """, headers: ["Cache-Control": "no-store"])
    }

    static func escape(_ text: String) -> String { HTML.escape(text) }
}

extension PlatformAPI {
    /// `POST /authorize/consent`: the page's Accept or Deny, checked against its CSRF token.
    var consentDecision: EndpointHandler {
        { context in
            let request = context.http, grants = OAuthGrants(state: state, snapshot: context.snapshot)
            let form = Dictionary(request.formBody.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
            context.auth.mechanism = .oauth
            guard let id = form["consent_id"], let pending = grants.pendingConsents.first(where: { $0.id == id }) else {
                context.auth.deny("unknown or already decided consent")
                return Self.errorPage("invalid_request", "This consent request is unknown or was already decided.")
            }
            context.auth.principal = pending.terms.accountId
            context.auth.client = pending.terms.clientId
            guard let csrf = form["csrf_token"], ConstantTime.equals(csrf, pending.csrfToken) else {
                context.auth.deny("bad CSRF token")
                var page = Self.errorPage("invalid_request", "The form's CSRF token does not match.")
                page.status = .forbidden
                return page
            }
            let approve = form["decision"] == "accept"
            // The page's picker posts one site; a form posting several grants them all.
            let sites = request.formBody.filter { $0.name == "site" }.map(\.value)
            switch grants.decideConsent(id: id, approve: approve, sites: sites.isEmpty ? nil : sites) {
            case .success(let location):
                context.auth.decision = approve ? .allowed : .denied
                context.auth.reason = approve ? nil : "consent denied"
                return HTTPResponse(status: .found, headers: ["Location": location, "Cache-Control": "no-store"])
            case .failure:
                context.auth.deny("site not offered")
                return Self.errorPage("invalid_request", "That site was not offered.")
            }
        }
    }
}
