import AuthMockHTTP

/// Turns a site request's credentials into a caller, or into the answer Confluence gives instead.
struct SiteAuthentication {
    let scenario: Scenario
    let state: MockState

    enum Outcome {
        case caller(Caller, AuthRecord)
        case refused(HTTPResponse, AuthRecord)
    }

    func authenticate(_ request: HTTPRequest, address: SiteAddress, requirement: RouteRequirement) -> Outcome {
        guard requirement.needsCaller else { return .caller(.anonymous, AuthRecord(mechanism: "none", decision: "allowed")) }
        if let token = Self.connectToken(request) { return connect(token, request: request, address: address, requirement: requirement) }
        switch BasicAuthenticator(scenario: scenario).authenticate(request) {
        case .absent:
            return anonymous(address)
        case .user(let user, let token):
            return basicUser(user, token: token, address: address, requirement: requirement)
        case .refused(let failure, let email):
            let locked = email.map { state.noteBasicAuth(email: $0, failed: true, threshold: scenario.basicAuth.captchaAfterFailures) } ?? false
            return refuse(locked ? .captcha : failure, address: address, record: AuthRecord(mechanism: "basic", principal: email))
        case .bearer(let token):
            return oauthBearer(token, address: address, requirement: requirement)
        case .otherScheme:
            return refuse(.badToken, address: address, record: AuthRecord(mechanism: "none"))
        }
    }

    private func basicUser(_ user: User, token: APIToken, address: SiteAddress, requirement: RouteRequirement) -> Outcome {
        let record = AuthRecord(mechanism: "basic", principal: user.accountId, scopesHeld: token.scopes ?? [],
                                scopesRequired: token.scopes == nil ? [] : requirement.allScopes)
        if state.noteBasicAuth(email: user.email, failed: false, threshold: scenario.basicAuth.captchaAfterFailures) {
            return refuse(.captcha, address: address, record: record)
        }
        if let scopes = token.scopes {
            // Scoped tokens work only through the gateway, and only for routes their scopes cover (reference §2.5).
            guard address.door == .gateway else { return refuse(.scopedTokenOnSite, address: address, record: record) }
            let missing = requirement.missingScopes(scopes)
            if !missing.isEmpty {
                var denied = record
                denied.decision = "denied"
                denied.reason = "scope does not match: missing \(missing.joined(separator: " "))"
                return .refused(ConfluenceErrors.gateway(.unauthorized, "Unauthorized; scope does not match"), denied)
            }
        }
        var allowed = record
        allowed.decision = "allowed"
        return .caller(.user(user), allowed)
    }

    /// No credentials: allowed only on the site's own domain when the site admits anonymous users.
    private func anonymous(_ address: SiteAddress) -> Outcome {
        if address.door == .site && address.site.anonymousAccess {
            return .caller(.anonymous, AuthRecord(mechanism: "anonymous", decision: "allowed"))
        }
        return refuse(.missing, address: address, record: AuthRecord(mechanism: "none"))
    }

    /// The token of `Authorization: Bearer <token>`.
    static func bearerToken(_ request: HTTPRequest) -> String? { request.authorization(scheme: "Bearer") }

    func refuse(_ failure: AuthenticationFailure, address: SiteAddress, record: AuthRecord, reason: String? = nil) -> Outcome {
        var denied = record
        denied.decision = "denied"
        denied.reason = reason ?? Self.reason(failure)
        let response = address.door == .gateway && failure != .captcha
            ? ConfluenceErrors.gateway(.unauthorized, "Unauthorized")
            : ConfluenceErrors.authentication(failure, profile: scenario.profile, surface: APISurface.of(sitePath: address.path),
                                              site: address.site, path: address.path)
        return .refused(response, denied)
    }

    static func reason(_ failure: AuthenticationFailure) -> String {
        switch failure {
        case .missing: "no credentials"
        case .badToken: "unknown email or wrong API token"
        case .password: "a password instead of an API token"
        case .apiTokenAsBearer: "an API token sent as Bearer"
        case .scopedTokenOnSite: "a scoped API token on the site domain (gateway only)"
        case .captcha: "CAPTCHA required after repeated failures"
        }
    }
}
