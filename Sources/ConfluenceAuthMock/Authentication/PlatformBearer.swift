import AuthMockHTTP

/// A request to one of `api.atlassian.com`'s own routes, once its bearer token is verified.
struct PlatformRequest {
    let http: HTTPRequest
    let snapshot: StateSnapshot
    let grant: AccessGrant
    let user: User
}

/// `Authorization: Bearer` on `api.atlassian.com`'s own routes (`/me`,
/// `/oauth/token/accessible-resources`): a valid 3LO token of a user the scenario still has. The
/// route's scopes are the gate's; every refusal is the gateway's 401.
enum PlatformBearer {
    static func verify(_ credential: Credential, requirement: RouteRequirement, snapshot: StateSnapshot, record: inout AuthRecord) -> Result<(Principal, AccessGrant), HTTPResponseError> {
        record.mechanism = .oauth
        record.scopesRequired = requirement.allScopes
        func refuse(_ reason: String, record: inout AuthRecord) -> Result<(Principal, AccessGrant), HTTPResponseError> {
            record.deny(reason)
            return .failure(HTTPResponseError(ConfluenceErrors.gateway(.unauthorized, "Unauthorized")))
        }
        guard let token = credential.bearerToken, !token.isEmpty else { return refuse("no bearer token", record: &record) }
        let grant: AccessGrant
        switch snapshot.validBearerGrant(record: &record) {
        case .success(let valid): grant = valid
        case .failure(let refusal): return refuse(refusal.reason, record: &record)
        }
        guard let user = snapshot.scenario.user(grant.accountId) else { return refuse("the user no longer exists", record: &record) }
        if user.isServiceAccount { record.mechanism = .serviceAccountOAuth }
        return .success((Principal(caller: .user(user), scopes: .oauth(grant.scopes)), grant))
    }
}
