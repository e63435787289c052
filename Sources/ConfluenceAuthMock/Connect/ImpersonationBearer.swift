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

extension SiteAuthentication {
    /// `Authorization: Bearer <impersonation token>` (reference §4.7): on the site's base URL only,
    /// unexpired, for a site and installation that still exist, within the token's Connect scopes;
    /// then the user's own permissions apply.
    func impersonated(_ status: AccessTokenStatus, grant: AccessGrant, address: SiteAddress, requirement: RouteRequirement) -> Outcome {
        let appKey = grant.app?.key ?? ""
        let record = AuthRecord(mechanism: "connect", principal: appKey, client: appKey, scopesHeld: grant.scopes,
                                scopesRequired: requirement.connectScope.map { [$0.rawValue] } ?? [])
        func refused(_ code: String, _ message: String) -> Outcome {
            connectRefusal(ConnectFailure(code: code, message: message), address: address, record: record,
                           response: address.door == .gateway ? ConfluenceErrors.gateway(.unauthorized, "Unauthorized") : nil)
        }
        guard address.door == .site else { return refused("gateway", "impersonation tokens are accepted on the site's base URL, not the API gateway") }
        guard case .valid = status else { return refused("expired", "the impersonation token expired") }
        guard grant.sites.contains(address.site.name) else { return refused("unknown-issuer", "the token is for another site") }
        guard let installation = state.connectInstallation(app: appKey, site: address.site.name), installation.status == .installed else {
            return refused("installation-unavailable", "the app is no longer installed and enabled on \(address.site.name)")
        }
        guard let user = scenario.user(accountId: grant.accountId) else { return refused("unknown-user", "the user no longer exists") }
        let scopes = grant.scopes.compactMap(ConnectScope.init(rawValue:))
        if let refusal = connectScopeRefusal(scopes, app: appKey, address: address, requirement: requirement, record: record) { return refusal }
        var allowed = record
        allowed.decision = "allowed"
        allowed.reason = "acting as user \(user.accountId) (impersonation token)"
        return .caller(.user(user), allowed)
    }
}
