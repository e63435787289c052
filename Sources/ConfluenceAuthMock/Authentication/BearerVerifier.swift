import AuthMockHTTP

extension AccessGrant {
    /// A token from Connect user impersonation: an app acting as one user.
    var isImpersonation: Bool { appKey != nil && !accountId.isEmpty }
}

extension AccessTokenStatus {
    /// The grant behind a token the mock issued, expired or not.
    var storedGrant: AccessGrant? {
        switch self {
        case .valid(let grant), .expired(let grant): grant
        case .unknown: nil
        }
    }
}

extension StateSnapshot {
    /// The one bearer gate every bearer check starts with: the presented token's grant when the
    /// mock issued it and it is valid on the scenario clock, with who it names entered in the
    /// journal's record; else why not (the journal's reason).
    func validBearerGrant(record: inout AuthRecord) -> Result<AccessGrant, TokenRefusal> {
        let checked = (bearer ?? .unknown).grant
        if case .success(let grant) = checked {
            record.principal = grant.accountId
            record.client = grant.clientId
            record.scopesHeld = grant.scopes
        }
        return checked
    }
}

extension SiteAuthenticator {
    /// `Authorization: Bearer <token>` on a site request (docs/reference.md §1.12, §2.4, §4.7, §5.2).
    ///
    /// At the gateway the token must be one this mock issued, valid on the scenario clock, for a
    /// grant that includes the site: a user's 3LO token acts as its user, a Connect app's
    /// client-credentials token as the installation's app user, a Forge token as the app or its
    /// user. On the site's own domain an OAuth token answers 401 however valid it is; only a
    /// Connect impersonation token works there.
    func bearer(_ token: String, requirement: RouteRequirement, record: inout AuthRecord) -> Verification {
        let status = snapshot.bearer ?? .unknown
        if let grant = status.storedGrant, grant.isImpersonation { return impersonated(status, grant: grant, requirement: requirement, record: &record) }
        if case .unknown = status, !scenario.serviceAccounts.isEmpty, let (account, apiToken) = BasicVerifier(scenario: scenario).serviceAccountToken(token) {
            return serviceAccountToken(account, apiToken, requirement: requirement, record: &record)
        }
        record.mechanism = mechanism(of: status.storedGrant)
        guard address.door == .gateway else {
            // Only on the site domain does it matter whether this is an API token sent as Bearer (docs/reference.md §3.3).
            if BasicVerifier(scenario: scenario).isAPIToken(token) {
                record.mechanism = .basic
                return refuse(.apiTokenAsBearer, record: &record)
            }
            return refuse(.scopedTokenOnSite, record: &record, reason: "an OAuth token on the site domain (gateway only)")
        }
        let grant: AccessGrant
        switch snapshot.validBearerGrant(record: &record) {
        case .success(let valid): grant = valid
        case .failure(let refusal): return unauthorized(refusal.reason, record: &record)
        }
        record.scopesRequired = requirement.allScopes
        guard grant.sites.contains(address.site.name) else { return unauthorized("site \(address.site.name) is not in the grant", record: &record) }
        if let (appKey, clientKey) = grant.app { return connectApp(appKey, clientKey: clientKey, requirement: requirement, record: &record) }
        if let forge = grant.forge { return forgeApp(grant, forge, record: &record) }
        guard let user = scenario.user(grant.accountId) else { return unauthorized("the user no longer exists", record: &record) }
        return .verified(Principal(caller: .user(user), scopes: .oauth(grant.scopes)))
    }

    /// What a stored token's grant authenticates as: a Forge token, a service account's
    /// client-credentials token, or else a user's 3LO token.
    private func mechanism(of grant: AccessGrant?) -> AuthMechanism {
        guard let grant else { return .oauth }
        if grant.forge != nil { return .forge }
        return scenario.serviceAccounts.isEmpty || scenario.serviceAccount(grant.accountId) == nil ? .oauth : .serviceAccountOAuth
    }

    /// A service account's scoped API token sent as `Bearer` (docs/reference.md §8.5): through the
    /// gateway on the account's sites, within the token's scopes; 401 on the site's own domain.
    private func serviceAccountToken(_ account: ServiceAccount, _ token: APIToken, requirement: RouteRequirement, record: inout AuthRecord) -> Verification {
        record.mechanism = .serviceAccountToken
        record.principal = account.accountId
        record.scopesHeld = token.scopes ?? []
        record.scopesRequired = requirement.allScopes
        guard address.door == .gateway else {
            return refuse(.scopedTokenOnSite, record: &record, reason: "a service account's API token on the site domain (gateway only)")
        }
        if let refusal = siteRefusal(forServiceAccountSites: account.sites, record: &record) { return refusal }
        return .verified(Principal(caller: .user(account.asUser), scopes: .oauth(token.scopes ?? [])))
    }

    /// A `client_credentials` token acts as the installation's app user, within the app's Connect scopes.
    private func connectApp(_ key: String, clientKey: String, requirement: RouteRequirement, record: inout AuthRecord) -> Verification {
        guard let app = scenario.connectApps.first(where: { $0.key == key }),
              let installation = app.installations.first(where: { $0.clientKey == clientKey })
        else { return unauthorized("the app or its installation no longer exists", record: &record) }
        record.principal = key
        record.scopesHeld = app.scopes.map(\.rawValue)
        record.scopesRequired = requirement.connectScope.map { [$0.rawValue] } ?? []
        return .verified(Principal(caller: .app(key: key, permissions: installation.appUser), scopes: .connect(app.scopes, app: key, signed: false)))
    }

    /// A Forge app token at the gateway (docs/reference.md §5.2): a system token acts as the app,
    /// with every permission on the site's spaces, a user token as its user, with the user's
    /// permissions; either holds the manifest's scopes.
    private func forgeApp(_ grant: AccessGrant, _ forge: ForgeGrant, record: inout AuthRecord) -> Verification {
        let actor = forge.kind == .system ? "as the app" : "as user \(grant.accountId)"
        record.principal = forge.kind == .system ? forge.appId : grant.accountId
        record.reason = "Forge app \(forge.appId), installation \(forge.installationId), \(actor)"
        let scopes = GrantedScopes.oauth(grant.scopes, lacking: "the manifest lacks")
        switch forge.kind {
        case .system:
            return .verified(Principal(caller: .app(key: forge.appId, permissions: nil), scopes: scopes))
        case .user:
            guard let user = scenario.user(accountId: grant.accountId) else { return unauthorized("the user no longer exists", record: &record) }
            return .verified(Principal(caller: .user(user), scopes: scopes))
        }
    }

    /// `Authorization: Bearer <impersonation token>` (docs/reference.md §4.7): on the site's base
    /// URL only, unexpired, for a site and installation that still exist; then the token's Connect
    /// scopes and the user's own permissions apply.
    private func impersonated(_ status: AccessTokenStatus, grant: AccessGrant, requirement: RouteRequirement, record: inout AuthRecord) -> Verification {
        let appKey = grant.app?.key ?? ""
        record = AuthRecord(mechanism: .connect, principal: appKey, client: appKey, scopesHeld: grant.scopes,
                            scopesRequired: requirement.connectScope.map { [$0.rawValue] } ?? [])
        func refused(_ code: String, _ message: String, record: inout AuthRecord) -> Verification {
            connectRefusal(ConnectFailure(code: code, message: message), record: &record,
                           response: address.door == .gateway ? ConfluenceErrors.gateway(.unauthorized, "Unauthorized") : nil)
        }
        guard address.door == .site else {
            return refused("gateway", "impersonation tokens are accepted on the site's base URL, not the API gateway", record: &record)
        }
        guard case .valid = status else { return refused("expired", "the impersonation token expired", record: &record) }
        guard grant.sites.contains(address.site.name) else { return refused("unknown-issuer", "the token is for another site", record: &record) }
        guard let installation = snapshot.connectInstallation(app: appKey, site: address.site.name), installation.status == .installed else {
            return refused("installation-unavailable", "the app is no longer installed and enabled on \(address.site.name)", record: &record)
        }
        guard let user = scenario.user(accountId: grant.accountId) else { return refused("unknown-user", "the user no longer exists", record: &record) }
        record.reason = "acting as user \(user.accountId) (impersonation token)"
        return .verified(Principal(caller: .user(user), scopes: .connect(grant.scopes.compactMap(ConnectScope.init(rawValue:)), app: appKey, signed: true)))
    }
}
