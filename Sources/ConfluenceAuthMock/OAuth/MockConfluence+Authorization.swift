import AuthMockFormats
import AuthMockHTTP

extension MockConfluence {
    /// The browser's part of the OAuth 2.0 (3LO) authorization code flow, done for a test: asks
    /// `GET /authorize` over the mock's listener as a browser signed in as `user` would, accepts
    /// the consent page when the client's mode shows one (`page`), and returns the `code` of the
    /// redirect back to the client. Both requests are in the journal, as a browser's would be.
    ///
    /// - Parameters:
    ///   - client: the OAuth client id.
    ///   - user: who is signed in (account id or email); default the client's `consent.user`,
    ///     else the scenario's first user.
    ///   - scopes: default every scope the client enables.
    ///   - sites: the sites picked on a consent page; default every site it offers. An `approve`
    ///     client grants its consent sites without a page, so there `sites` must be those or `nil`.
    ///   - state: sent, and checked on the way back.
    ///   - redirectURI: default the client's first registered one; exchange the code with the same.
    /// - Throws: naming an unknown client or user, or what the authorization server refused
    ///   (`access_denied` for a `deny` client).
    public func authorizationCode(client: String, user: String? = nil, scopes: [String]? = nil, sites: [String]? = nil,
                                  state: String? = nil, redirectURI: String? = nil) throws(TokenRequestError) -> String {
        let request = try AuthorizationRequest(scenario: scenario, client: client, user: user, scopes: scopes, sites: sites, redirectURI: redirectURI)
        let browser = ConsentBrowser(origin: baseURLString, user: user)
        switch try browser.authorize(request.parameters(state: state), sites: sites) {
        case .code(let code, let returned):
            guard returned == state else { throw TokenRequestError("state", "the redirect carried state \(returned ?? "(none)"), not \(state ?? "(none)")") }
            return code
        case .refused(let error, let description):
            throw TokenRequestError("authorize", "the authorization server refused: \(error) (\(description))")
        }
    }

    /// The whole authorization code flow: ``authorizationCode(client:user:scopes:sites:state:redirectURI:)``,
    /// then `POST /oauth/token` with the client's secret, as the client would exchange the code.
    /// A refresh token comes with `offline_access` among the scopes.
    public func oauthTokens(client: String, user: String? = nil, scopes: [String]? = nil, sites: [String]? = nil) throws(TokenRequestError) -> TokenResponse {
        let request = try AuthorizationRequest(scenario: scenario, client: client, user: user, scopes: scopes, sites: sites, redirectURI: nil)
        let code = try authorizationCode(client: client, user: user, scopes: scopes, sites: sites, redirectURI: request.redirectURI)
        let form = [("grant_type", "authorization_code"), ("client_id", client), ("client_secret", request.client.clientSecret),
                    ("code", code), ("redirect_uri", request.redirectURI)]
        let answer: HTTPClientResponse
        do {
            answer = try HTTPClient.send(method: "POST", url: "\(baseURLString)/oauth/token", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                         body: Array(PercentEncoding.encodePairs(form).utf8))
        } catch {
            throw TokenRequestError("token", "POST /oauth/token: \(error.description)")
        }
        guard answer.status == 200, let tokens = (try? JSONValue.parse(answer.body)).flatMap(TokenResponse.init(json:)) else {
            throw TokenRequestError("token", "POST /oauth/token answered \(answer.status): \(answer.bodyText)")
        }
        return tokens
    }
}

/// An authorization request checked against the scenario before any is sent, so a mistake is
/// named instead of showing up as an error page.
struct AuthorizationRequest {
    let client: OAuthClient
    let scopes: [String]
    let redirectURI: String

    init(scenario: Scenario, client clientId: String, user: String?, scopes: [String]?, sites: [String]?, redirectURI: String?) throws(TokenRequestError) {
        guard let client = scenario.oauthClients.first(where: { $0.clientId == clientId }) else {
            throw TokenRequestError("client", "unknown OAuth client \"\(clientId)\"")
        }
        if let user, scenario.user(user) == nil {
            throw TokenRequestError("user", "unknown user \"\(user)\"; expected an accountId or email of the scenario's users")
        }
        guard let redirect = redirectURI ?? client.redirectUris.first else { throw TokenRequestError("redirectURI", "the client has no redirect URI") }
        if client.consent.mode == .approve, let sites, let consenting = scenario.consentingUser(for: client, signedIn: user) {
            let granted = scenario.consentSites(for: client, user: consenting)
            if Set(sites) != Set(granted) {
                throw TokenRequestError("sites", "client \"\(clientId)\" approves at once, granting \(granted.joined(separator: ", ")); sites are picked on a consent page (mode page)")
            }
        }
        self.client = client
        self.scopes = scopes ?? client.scopes
        self.redirectURI = redirect
    }

    /// The query of `GET /authorize`, as a client builds it (docs/reference.md §1.2).
    func parameters(state: String?) -> [(String, String)] {
        [("audience", "api.atlassian.com"), ("client_id", client.clientId), ("scope", scopes.joined(separator: " ")),
         ("redirect_uri", redirectURI), ("response_type", "code"), ("prompt", "consent")] + (state.map { [("state", $0)] } ?? [])
    }
}

extension TokenResponse {
    /// The token endpoint's JSON answer, read back.
    init?(json: JSONValue) {
        guard let access = json["access_token"]?.stringValue, let expiresIn = json["expires_in"]?.intValue else { return nil }
        self.init(accessToken: access, expiresIn: expiresIn, scope: json["scope"]?.stringValue ?? "", refreshToken: json["refresh_token"]?.stringValue)
    }
}
