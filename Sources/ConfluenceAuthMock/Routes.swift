import AuthMockHTTP

/// What answers one route: the request, and the values its pattern took from the path.
typealias RouteHandler = @Sendable (HTTPRequest, RouteParameters) -> HTTPResponse

/// A route that reads the request's context: the OAuth endpoints, which authenticate their client
/// by the protocol's own rules (from the parsed credential and the body) and fill in the journal's
/// record, and the metadata documents, which read the snapshot's scenario.
typealias EndpointHandler = @Sendable (inout RequestContext) -> HTTPResponse

/// What answers one of `api.atlassian.com`'s own routes, once its bearer token passed.
typealias PlatformHandler = @Sendable (PlatformRequest) -> HTTPResponse

/// A line of the global table.
enum GlobalHandler: Sendable {
    /// Answers from the request alone: the admin API and published keys.
    case plain(RouteHandler)
    /// A route that reads the request's context (`EndpointHandler`).
    case endpoint(EndpointHandler)
    /// A route that needs a user's 3LO bearer token holding the requirement's scopes.
    case platform(RouteRequirement, PlatformHandler)
}

/// Every endpoint the mock serves, public and admin, one line each: the map of the product.
/// A literal segment wins over a `{name}` that would also match (`Router`).
enum Routes {
    /// Routes served once for the whole mock: Atlassian's auth and API hosts, and the admin API.
    static func table(admin: AdminAPI, api: PlatformAPI, console: Console) -> Router<GlobalHandler> {
        func plain(_ method: String, _ path: String, _ handler: @escaping RouteHandler) -> Route<GlobalHandler> { Route(method, path, .plain(handler)) }
        return Router([
            // auth.atlassian.com
            Route("GET", "/authorize", .endpoint(api.authorize)),
            Route("POST", "/authorize/consent", .endpoint(api.consentDecision)),
            Route("POST", "/oauth/token", .endpoint(api.token)),
            Route("GET", "/.well-known/jwks.json", .endpoint(SigningKeys.jwksEndpoint(.oauth))),
            Route("GET", "/.well-known/oauth-authorization-server", .endpoint(api.serverMetadata)),
            Route("GET", "/.well-known/openid-configuration", .endpoint(api.serverMetadata)),
            // api.atlassian.com (the gateway's /ex/confluence/{cloudId}/… is in the site catalog)
            Route("GET", "/oauth/token/accessible-resources", .platform(RouteRequirement(), api.accessibleResources)),
            Route("GET", "/me", .platform(RouteRequirement(granularScopes: ["read:me"]), api.me)),
            // oauth-2-authorization-server.services.atlassian.com (Connect user impersonation)
            Route("POST", "/oauth2/token", .endpoint(api.impersonationToken)),
            // connect-install-keys.atlassian.com
            Route("GET", "/connect-install-keys/{kid}", .endpoint(SigningKeys.installKeyEndpoint)),
            // forge.cdn.prod.atlassian-dev.net
            Route("GET", "/forge/.well-known/jwks.json", .endpoint(SigningKeys.jwksEndpoint(.forge))),
            // Admin API (docs/admin-api.md); guarded by --admin-token, removed by --no-admin.
            plain("GET", "/__admin/health", admin.health),
            plain("GET", "/__admin/ca.pem", admin.proxyCA),
            plain("GET", "/__admin/scenario", admin.scenario),
            plain("PUT", "/__admin/scenario", admin.replaceScenario),
            plain("POST", "/__admin/reset", admin.reset),
            plain("GET", "/__admin/requests", admin.requests),
            plain("DELETE", "/__admin/requests", admin.clearRequests),
            plain("GET", "/__admin/clock", admin.clock),
            plain("POST", "/__admin/clock", admin.changeClock),
            plain("GET", "/__admin/faults", admin.faults),
            plain("POST", "/__admin/faults", admin.addFaults),
            plain("DELETE", "/__admin/faults", admin.clearFaults),
            plain("DELETE", "/__admin/faults/{id}", admin.removeFault),
            plain("POST", "/__admin/tokens", admin.mintToken),
            plain("POST", "/__admin/tokens/revoke", admin.revokeTokens),
            plain("POST", "/__admin/tokens/inspect", admin.inspectToken),
            plain("GET", "/__admin/consents", admin.consents),
            plain("POST", "/__admin/consents/{id}", admin.decideConsent),
            plain("GET", "/__admin/connect/installations", admin.connectInstallations),
            plain("POST", "/__admin/connect/lifecycle", admin.connectLifecycle),
            plain("POST", "/__admin/connect/jwt", admin.connectJWT),
            plain("POST", "/__admin/forge/tokens", admin.forgeTokens),
            plain("POST", "/__admin/forge/invoke", admin.forgeInvoke),
            plain("GET", "/__admin/forge/invocations", admin.forgeInvocations),
            plain("GET", "/__admin/events", admin.events),
            plain("GET", "/__admin/state", admin.exportState),
            plain("PUT", "/__admin/state", admin.importState),
            plain("POST", "/__admin/state/save", admin.saveState),
            // The web console (docs/console.md): HTML over the same state; forms carry a CSRF token.
            plain("GET", "/__admin/ui", console.overview),
            plain("POST", "/__admin/ui/clock", console.advanceClock),
            plain("GET", "/__admin/ui/requests", console.requests),
            plain("GET", "/__admin/ui/requests/{id}", console.requestDetail),
            plain("GET", "/__admin/ui/tokens", console.tokens),
            plain("POST", "/__admin/ui/tokens", console.inspectToken),
            plain("GET", "/__admin/ui/consents", console.consents),
            plain("POST", "/__admin/ui/consents/{id}", console.decideConsent),
            plain("GET", "/__admin/ui/scopes", console.scopes),
            plain("GET", "/__admin/ui/faults", console.faults),
            plain("POST", "/__admin/ui/faults", console.addFault),
            plain("POST", "/__admin/ui/faults/{id}/remove", console.removeFault),
            plain("GET", ConsoleSession.signInPath, console.signInPage),
            plain("POST", ConsoleSession.signInPath, console.signIn),
        ])
    }

    /// The route catalog of one site, matched on the path relative to the site (see `SiteAddress`):
    /// reached on the site's domain (`Host`), under `/site/{name}`, and through
    /// `/ex/confluence/{cloudId}`. Each line gives the scopes the route demands (docs/reference.md §2.3) and
    /// the space permission its caller needs (reads `view` unless said).
    static func siteTable(site: SiteRoutes) -> Router<CatalogEntry> {
        func need(classic: [String] = [], granular: [String], connect: ConnectScope = .read, permission: SpacePermission = .view) -> RouteRequirement {
            RouteRequirement(classicScopes: classic, granularScopes: granular, connectScope: connect, permission: permission)
        }
        let readSpace = need(classic: ["read:confluence-space.summary"], granular: ["read:space:confluence"])
        let readContent = need(classic: ["read:confluence-content.all"], granular: ["read:page:confluence"])
        let listContent = need(classic: ["read:confluence-content.summary"], granular: ["read:page:confluence"])
        let writeContent = need(classic: ["write:confluence-content"], granular: ["write:page:confluence"], connect: .write, permission: .edit)
        let deleteContent = need(classic: ["write:confluence-content"], granular: ["delete:page:confluence"], connect: .delete, permission: .delete)
        return Router([
            Route("GET", "/_edge/tenant_info", CatalogEntry(requirement: .open, handler: site.tenantInfo)),
            // REST v1
            Route("GET", "/wiki/rest/api/space", CatalogEntry(requirement: readSpace, handler: site.v1Spaces)),
            Route("GET", "/wiki/rest/api/space/{key}", CatalogEntry(requirement: readSpace, handler: site.v1Space)),
            Route("PUT", "/wiki/rest/api/space/{key}", CatalogEntry(requirement: need(classic: ["write:confluence-space"], granular: ["write:space:confluence"],
                                                                                       connect: .spaceAdmin, permission: .admin), handler: site.v1UpdateSpace)),
            Route("GET", "/wiki/rest/api/content", CatalogEntry(requirement: listContent, handler: site.v1ContentList)),
            Route("POST", "/wiki/rest/api/content", CatalogEntry(requirement: writeContent, handler: site.v1CreateContent)),
            Route("GET", "/wiki/rest/api/content/{id}", CatalogEntry(requirement: readContent, handler: site.v1Content)),
            Route("PUT", "/wiki/rest/api/content/{id}", CatalogEntry(requirement: writeContent, handler: site.v1UpdateContent)),
            Route("GET", "/wiki/rest/api/content/{id}/history", CatalogEntry(requirement: readContent, handler: site.v1ContentHistory)),
            Route("DELETE", "/wiki/rest/api/content/{id}", CatalogEntry(requirement: deleteContent, handler: site.v1DeleteContent)),
            Route("GET", "/wiki/rest/api/search",
                  CatalogEntry(requirement: need(classic: ["search:confluence"], granular: ["read:content-details:confluence"]), handler: site.v1Search)),
            Route("GET", "/wiki/rest/api/user",
                  CatalogEntry(requirement: need(classic: ["read:confluence-user"], granular: ["read:user:confluence"]), handler: site.v1User)),
            Route("GET", "/wiki/rest/api/user/current",
                  CatalogEntry(requirement: need(classic: ["read:confluence-user"], granular: ["read:user:confluence"]), handler: site.v1CurrentUser)),
            // REST v2: granular scopes only
            Route("POST", "/wiki/api/v2/users-bulk", CatalogEntry(requirement: need(granular: ["read:user:confluence"]), handler: site.v2UsersBulk)),
            Route("GET", "/wiki/api/v2/spaces", CatalogEntry(requirement: need(granular: ["read:space:confluence"]), handler: site.v2Spaces)),
            Route("GET", "/wiki/api/v2/spaces/{id}", CatalogEntry(requirement: need(granular: ["read:space:confluence"]), handler: site.v2Space)),
            Route("GET", "/wiki/api/v2/pages", CatalogEntry(requirement: need(granular: ["read:page:confluence"]), handler: site.v2Pages)),
            Route("POST", "/wiki/api/v2/pages", CatalogEntry(requirement: need(granular: ["write:page:confluence"], connect: .write, permission: .edit), handler: site.v2CreatePage)),
            Route("GET", "/wiki/api/v2/pages/{id}", CatalogEntry(requirement: need(granular: ["read:page:confluence"]), handler: site.v2Page)),
            Route("PUT", "/wiki/api/v2/pages/{id}", CatalogEntry(requirement: need(granular: ["write:page:confluence"], connect: .write, permission: .edit), handler: site.v2UpdatePage)),
            Route("DELETE", "/wiki/api/v2/pages/{id}", CatalogEntry(requirement: need(granular: ["delete:page:confluence"], connect: .delete, permission: .delete), handler: site.v2DeletePage)),
        ])
    }
}
