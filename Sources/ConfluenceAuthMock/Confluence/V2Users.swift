import AuthMockFormats
import AuthMockHTTP

/// Confluence REST v2 user lookups.
extension SiteRoutes {
    /// `POST /wiki/api/v2/users-bulk` with `{"accountIds": [1…250 ids]}`: the users (and service
    /// accounts) among them, in the order asked; ids no one has are left out, as Atlassian's
    /// document says `results` may then be empty.
    var v2UsersBulk: SiteRouteHandler {
        { request in
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            guard let ids = body["accountIds"]?.arrayValue?.compactMap(\.stringValue), (1...250).contains(ids.count),
                  ids.count == body["accountIds"]?.arrayValue?.count
            else { return ConfluenceErrors.v2(.badRequest, code: "INVALID_REQUEST_PARAMETER", title: "accountIds must be a list of 1 to 250 account ids") }
            let users = ids.compactMap { request.scenario.user(accountId: $0) }
            return Self.v2List(users.map(Representations.v2User), next: nil, request: request)
        }
    }
}

extension Representations {
    /// A v2 `User`: `accountType` `app` for a service account.
    static func v2User(_ user: User) -> JSONValue {
        .object(JSONObject([
            ("displayName", .string(user.displayName)), ("timeZone", "UTC"), ("personalSpaceId", .null), ("isExternalCollaborator", false),
            ("accountStatus", "active"), ("accountId", .string(user.accountId)), ("email", .string(user.email)),
            ("accountType", user.isServiceAccount ? "app" : "atlassian"), ("publicName", .string(user.displayName)),
            ("profilePicture", .object(JSONObject([("path", .string("/wiki/aa-avatar/\(user.accountId)")), ("isDefault", true)]))),
        ]))
    }
}
