import AuthMockHTTP

/// What verifying a credential came to: a principal for the scope gate, or Confluence's refusal.
enum Verification {
    case verified(Principal)
    case refused(HTTPResponse)
    /// Wrong basic credentials on a site open to anonymous users: served as the anonymous user,
    /// as Confluence does (docs/reference.md §8.4), unless anonymous users may not read what was
    /// asked for; then `refusal` (with `record`, the journal's record of it) is the answer.
    case anonymousInstead(refusal: HTTPResponse, record: AuthRecord)
}

/// Verifies a site request's credential (the pipeline's credentials stage for site routes): each
/// kind of credential goes to its mechanism, which names who is calling or why not. The journal's
/// record is filled in as it goes; scopes are the gate's, after this.
struct SiteAuthenticator {
    let request: HTTPRequest
    let snapshot: StateSnapshot
    /// Taken only for CAPTCHA counting, the one thing verifying changes.
    let state: MockState
    let address: SiteAddress

    var scenario: Scenario { snapshot.scenario }

    func verify(_ credential: Credential, requirement: RouteRequirement, record: inout AuthRecord) -> Verification {
        guard requirement.needsCaller else { return .verified(.open) }
        switch credential {
        case .connectJWT(let token):
            return connect(token, requirement: requirement, record: &record)
        case .none:
            return anonymous(record: &record)
        case .basic, .malformedBasic:
            return basic(credential, requirement: requirement, record: &record)
        case .bearer(let token):
            return bearer(token, requirement: requirement, record: &record)
        case .otherScheme:
            return refuse(.badToken, record: &record)
        }
    }

    private func basic(_ credential: Credential, requirement: RouteRequirement, record: inout AuthRecord) -> Verification {
        record.mechanism = .basic
        let threshold = scenario.basicAuth.captchaAfterFailures
        switch BasicVerifier(scenario: scenario).verify(credential) {
        case .refused(let failure, let email):
            record.principal = email
            // Only a scenario user's failures are counted: there is no account to lock for another
            // email, and counting every email sent would grow without bound.
            let locked = email.flatMap { scenario.user($0) }.map { state.noteBasicAuth(email: $0.email, failed: true, threshold: threshold) } ?? false
            let refusal = refuse(locked ? .captcha : failure, record: &record)
            guard !locked, failure == .badToken, address.door == .site, address.site.anonymousAccess, case .refused(let response) = refusal else { return refusal }
            return .anonymousInstead(refusal: response, record: record)
        case .user(let user, let token):
            if user.isServiceAccount { record.mechanism = .serviceAccountToken }
            record.principal = user.accountId
            record.scopesHeld = token.scopes ?? []
            record.scopesRequired = token.scopes == nil ? [] : requirement.allScopes
            if state.noteBasicAuth(email: user.email, failed: false, threshold: threshold) { return refuse(.captcha, record: &record) }
            guard let scopes = token.scopes else { return .verified(Principal(caller: .user(user), scopes: .unlimited)) }
            // Scoped tokens work only through the gateway (docs/reference.md §2.5).
            guard address.door == .gateway else { return refuse(.scopedTokenOnSite, record: &record) }
            if user.isServiceAccount, let refusal = siteRefusal(forServiceAccountSites: user.sites, record: &record) { return refusal }
            return .verified(Principal(caller: .user(user), scopes: .oauth(scopes)))
        }
    }

    /// No credentials: allowed only on the site's own domain when the site admits anonymous users.
    private func anonymous(record: inout AuthRecord) -> Verification {
        guard address.door == .site && address.site.anonymousAccess else { return refuse(.missing, record: &record) }
        record.mechanism = .anonymous
        return .verified(Principal(caller: .anonymous, scopes: .unlimited))
    }

    /// Confluence's answer to a failed authentication: the gateway's 401, or on the site the
    /// profile's answer for `failure`. `reason` overrides the journal's reason for the failure.
    func refuse(_ failure: AuthenticationFailure, record: inout AuthRecord, reason: String? = nil) -> Verification {
        record.deny(reason ?? Self.reason(failure))
        return .refused(address.door == .gateway && failure != .captcha
            ? ConfluenceErrors.gateway(.unauthorized, "Unauthorized")
            : ConfluenceErrors.authentication(failure, profile: scenario.profile, surface: APISurface.of(sitePath: address.path),
                                              site: address.site, path: address.path))
    }

    /// A service account on a site it has no access to gets the gateway's answer for a site outside
    /// a grant; `nil` when the site is one of `sites`.
    func siteRefusal(forServiceAccountSites sites: [String: SpacePermissions], record: inout AuthRecord) -> Verification? {
        guard sites[address.site.name] == nil else { return nil }
        return unauthorized("the service account has no access to site \(address.site.name)", record: &record)
    }

    /// The gateway's plain 401, with `reason` in the journal.
    func unauthorized(_ reason: String, record: inout AuthRecord) -> Verification {
        record.deny(reason)
        return .refused(ConfluenceErrors.gateway(.unauthorized, "Unauthorized"))
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
