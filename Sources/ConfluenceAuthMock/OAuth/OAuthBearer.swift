import AuthMockHTTP

extension SiteAuthentication {
    /// `Authorization: Bearer <access token>` on a site request (reference §1.12, §2.4).
    ///
    /// At the gateway the token must be one this mock issued, valid on the scenario clock, for a
    /// grant that includes the site and a user the scenario still has; then the route's scope gate
    /// runs before routing; then the user's own permissions apply. On the site's own domain an
    /// OAuth token answers 401 however valid it is.
    func oauthBearer(_ token: String, address: SiteAddress, requirement: RouteRequirement) -> Outcome {
        let status = state.accessTokenStatus(token)
        if let grant = status.storedGrant, grant.isImpersonation {
            return impersonated(status, grant: grant, address: address, requirement: requirement)
        }
        var record = AuthRecord(mechanism: status.storedGrant?.forge == nil ? "oauth" : "forge")
        guard address.door == .gateway else {
            // Only on the site domain does it matter whether this is an API token sent as Bearer (reference §3.3).
            if BasicAuthenticator(scenario: scenario).isAPIToken(token) {
                return refuse(.apiTokenAsBearer, address: address, record: AuthRecord(mechanism: "basic"))
            }
            return refuse(.scopedTokenOnSite, address: address, record: record, reason: "an OAuth token on the site domain (gateway only)")
        }
        let grant: AccessGrant
        switch status.grant {
        case .success(let valid): grant = valid
        case .failure(let refusal): return unauthorized(record, refusal.reason)
        }
        record.principal = grant.accountId
        record.client = grant.clientId
        record.scopesHeld = grant.scopes
        record.scopesRequired = requirement.allScopes
        guard grant.sites.contains(address.site.name) else { return unauthorized(record, "site \(address.site.name) is not in the grant") }
        if let (appKey, clientKey) = grant.app { return connectApp(appKey, clientKey: clientKey, record: record, requirement: requirement) }
        if let forge = grant.forge { return forgeApp(grant, forge, record: record, requirement: requirement) }
        guard let user = scenario.user(grant.accountId) else { return unauthorized(record, "the user no longer exists") }
        let missing = requirement.missingScopes(grant.scopes)
        guard missing.isEmpty else {
            record.decision = "denied"
            record.reason = "scope does not match: missing \(missing.joined(separator: " "))"
            return .refused(ConfluenceErrors.gateway(.unauthorized, "Unauthorized; scope does not match"), record)
        }
        record.decision = "allowed"
        return .caller(.user(user), record)
    }

    /// A `client_credentials` token acts as the installation's app user, within the app's Connect scopes.
    private func connectApp(_ key: String, clientKey: String, record: AuthRecord, requirement: RouteRequirement) -> Outcome {
        var record = record
        guard let app = scenario.connectApps.first(where: { $0.key == key }),
              let installation = app.installations.first(where: { $0.clientKey == clientKey })
        else { return unauthorized(record, "the app or its installation no longer exists") }
        record.principal = key
        record.scopesHeld = app.scopes.map(\.rawValue)
        record.scopesRequired = requirement.connectScope.map { [$0.rawValue] } ?? []
        if let needed = requirement.connectScope, !needed.isImplied(by: app.scopes) {
            record.decision = "denied"
            record.reason = "scope does not match: the app lacks \(needed.rawValue)"
            return .refused(ConfluenceErrors.gateway(.unauthorized, "Unauthorized; scope does not match"), record)
        }
        record.decision = "allowed"
        return .caller(.app(key: key, permissions: installation.appUser), record)
    }

    private func unauthorized(_ record: AuthRecord, _ reason: String) -> Outcome {
        var denied = record
        denied.decision = "denied"
        denied.reason = reason
        return .refused(ConfluenceErrors.gateway(.unauthorized, "Unauthorized"), denied)
    }
}
