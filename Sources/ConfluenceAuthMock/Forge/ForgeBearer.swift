extension SiteAuthentication {
    /// A Forge app token at the gateway (reference §5.2): the route's scopes must be among the
    /// manifest's (else 401 "scope does not match"); a system token acts as the app, with every
    /// permission on the site's spaces, a user token as its user, with the user's permissions.
    func forgeApp(_ grant: AccessGrant, _ forge: ForgeGrant, record: AuthRecord, requirement: RouteRequirement) -> Outcome {
        var record = record
        let actor = forge.kind == .system ? "as the app" : "as user \(grant.accountId)"
        record.principal = forge.kind == .system ? forge.appId : grant.accountId
        record.reason = "Forge app \(forge.appId), installation \(forge.installationId), \(actor)"
        let missing = requirement.missingScopes(grant.scopes)
        guard missing.isEmpty else {
            record.decision = "denied"
            record.reason = "scope does not match: the manifest lacks \(missing.joined(separator: " ")) (\(record.reason ?? ""))"
            return .refused(ConfluenceErrors.gateway(.unauthorized, "Unauthorized; scope does not match"), record)
        }
        switch forge.kind {
        case .system:
            record.decision = "allowed"
            return .caller(.app(key: forge.appId, permissions: nil), record)
        case .user:
            guard let user = scenario.user(accountId: grant.accountId) else {
                record.decision = "denied"
                record.reason = "the user no longer exists"
                return .refused(ConfluenceErrors.gateway(.unauthorized, "Unauthorized"), record)
            }
            record.decision = "allowed"
            return .caller(.user(user), record)
        }
    }
}
