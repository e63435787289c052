import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP

extension PlatformAPI {
    /// `GET /authorize` (docs/reference.md §1.2, §1.3). An unknown client or an unregistered redirect URI
    /// gets an HTML error page and never a redirect; other errors redirect back with `error` and
    /// `state`; consent follows the client's mode.
    var authorize: EndpointHandler {
        { context in
            let request = context.http, scenario = context.snapshot.scenario
            let grants = OAuthGrants(state: state, snapshot: context.snapshot)
            context.auth = AuthRecord(mechanism: .oauth, principal: request.queryValue("client_id"), client: request.queryValue("client_id"))
            guard let client = scenario.oauthClients.first(where: { $0.clientId == request.queryValue("client_id") }) else {
                context.auth.deny("unknown client_id")
                return Self.errorPage("unauthorized_client", "Unknown client: \(request.queryValue("client_id") ?? "(none)")")
            }
            let redirect = request.queryValue("redirect_uri") ?? ""
            guard client.redirectUris.contains(redirect) else {
                context.auth.deny("redirect_uri not registered")
                return Self.errorPage("unauthorized_client", "Callback URL mismatch. \(redirect) is not in the list of allowed callback URLs")
            }
            let stateValue = request.queryValue("state")
            func back(_ parameters: [(String, String)], _ decision: AuthDecision, _ reason: String?) -> HTTPResponse {
                context.auth.decision = decision
                context.auth.reason = reason
                return Self.redirect(to: redirect, parameters + (stateValue.map { [("state", $0)] } ?? []))
            }
            guard request.queryValue("response_type") == "code" else {
                return back([("error", "unsupported_response_type"), ("error_description", "Only response_type=code is supported")], .denied, "response_type")
            }
            let audience = request.queryValue("audience")
            guard audience == "api.atlassian.com" || (audience == nil && !scenario.oauth.requireAudience) else {
                return back([("error", "invalid_request"), ("error_description", "audience must be api.atlassian.com")], .denied, "audience")
            }
            let scopes = (request.queryValue("scope") ?? "").split(separator: " ").map(String.init)
            let disabled = scopes.filter { !client.scopes.contains($0) }
            guard !scopes.isEmpty, disabled.isEmpty else {
                let message = scopes.isEmpty ? "scope is required" : "scope not enabled for this app: \(disabled.joined(separator: " "))"
                return back([("error", "invalid_scope"), ("error_description", message)], .denied, message)
            }
            switch client.consent.mode {
            case .deny:
                return back([("error", "access_denied"), ("error_description", "User did not authorize the request")], .denied, "consent denied")
            case .page, .approve:
                let signedIn = Self.signedInUser(request)
                if let signedIn, scenario.user(signedIn) == nil {
                    context.auth.deny("unknown signed-in user")
                    return Self.errorPage("access_denied", "The \(Self.signedInUserCookie) cookie names no user of the scenario: \(signedIn)")
                }
                guard let user = scenario.consentingUser(for: client, signedIn: signedIn) else {
                    return back([("error", "access_denied"), ("error_description", "No user to consent")], .denied, "no user")
                }
                let terms = GrantTerms(accountId: user.accountId, clientId: client.clientId, scopes: scopes,
                                       sites: scenario.consentSites(for: client, user: user))
                if client.consent.mode == .page {
                    let consent = grants.addConsent { id in
                        PendingConsent(id: id, terms: terms, redirectUri: redirect, state: stateValue, csrfToken: SecureRandom.token(),
                                       resource: request.queryValue("resource"))
                    }
                    context.auth.principal = user.accountId
                    context.auth.reason = "consent pending"
                    return ConsentPage.render(consent, app: client.name, scenario: scenario)
                }
                let code = grants.issueCode(terms, redirectUri: redirect, resource: request.queryValue("resource"))
                context.auth.principal = user.accountId
                context.auth.scopesHeld = scopes
                return back([("code", code)], .allowed, nil)
            }
        }
    }

    /// The cookie that says who is signed in to the browser (an account id or email, percent-encoded
    /// as cookie values are): the user who consents, in place of the client's `consent.user`.
    /// Atlassian's own session cookie is opaque; a test names the user instead.
    static let signedInUserCookie = "confluence-auth-mock-user"

    /// The user the request's `Cookie` header signs in, if it names one.
    static func signedInUser(_ request: HTTPRequest) -> String? {
        guard let value = request.cookie(signedInUserCookie), !value.isEmpty else { return nil }
        return PercentEncoding.decodeStrictly(value) ?? value
    }

    /// A 302 to `uri` with the parameters appended to its query.
    static func redirect(to uri: String, _ parameters: [(String, String)]) -> HTTPResponse {
        HTTPResponse(status: .found, headers: ["Location": location(uri, parameters), "Cache-Control": "no-store"])
    }

    /// `uri` with the parameters appended to its query.
    static func location(_ uri: String, _ parameters: [(String, String)]) -> String {
        uri + (uri.contains("?") ? "&" : "?") + PercentEncoding.encodePairs(parameters)
    }

    /// The error page a browser lands on instead of a redirect (docs/reference.md §1.3).
    static func errorPage(_ error: String, _ description: String) -> HTTPResponse {
        let escaped = ConsentPage.escape(description)
        return .html("<!doctype html><html><head><title>Something went wrong</title></head><body><h1>Something went wrong</h1>"
                     + "<p id=\"error\">\(ConsentPage.escape(error))</p><p id=\"error_description\">\(escaped)</p></body></html>", status: .badRequest)
    }
}
