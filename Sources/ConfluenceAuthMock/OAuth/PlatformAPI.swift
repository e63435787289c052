import AuthMockFormats
import AuthMockHTTP

/// `api.atlassian.com` routes outside the gateway: what a 3LO token may see about itself.
struct PlatformAPI: Sendable {
    let state: MockState

    /// `http(s)://Host` of the request: the mock's own origin (an impersonation assertion's `aud`,
    /// the metadata documents' endpoints, a Forge invocation's `apiBaseUrl`).
    static func origin(of request: HTTPRequest) -> String {
        (request.isSecure ? "https://" : "http://") + (request.headers["Host"] ?? "localhost")
    }

    /// `GET /oauth/token/accessible-resources`: the sites granted at consent, with the token's
    /// scopes (docs/reference.md §1.10). Identity and `offline_access` scopes are not per site.
    var accessibleResources: PlatformHandler {
        { request in
            let grant = request.grant, scenario = request.snapshot.scenario
            let siteScopes = grant.scopes.filter { !["offline_access", "read:me", "read:account"].contains($0) }
            let sites = grant.sites.compactMap { name in scenario.sites.first { $0.name == name } }
            return .json(.array(sites.map { site in
                .object(JSONObject([("id", .string(site.cloudId)), ("name", .string(site.name)), ("url", .string(site.url)),
                                    ("scopes", .array(siteScopes.map { .string($0) })),
                                    ("avatarUrl", "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/flag.png")]))
            }))
        }
    }

    /// `GET /me`: the user's profile; needs `read:me` (docs/reference.md §1.11).
    var me: PlatformHandler {
        { request in
            let user = request.user
            return .json(.object(JSONObject([
                ("account_type", user.isServiceAccount ? "app" : "atlassian"), ("account_id", .string(user.accountId)), ("email", .string(user.email)),
                ("name", .string(user.displayName)), ("picture", .string("https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/\(user.accountId)")),
                ("account_status", "active"), ("nickname", .string(String(user.email.split(separator: "@").first ?? ""))),
                ("zoneinfo", "UTC"), ("locale", "en-US"), ("extended_profile", .object(JSONObject())),
            ])))
        }
    }
}
