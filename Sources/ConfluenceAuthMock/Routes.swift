import AuthMockHTTP

/// What answers one route: the request, and the values its pattern took from the path.
typealias RouteHandler = @Sendable (HTTPRequest, RouteParameters) -> HTTPResponse

/// Every endpoint the mock serves, public and admin, one line each: the map of the product.
/// Table order decides ties (literal routes come before patterns that would also match).
enum Routes {
    /// Routes served once for the whole mock: Atlassian's auth and API hosts, and the admin API.
    static func table(admin: AdminAPI) -> Router<RouteHandler> {
        Router([
            // auth.atlassian.com
            Route("GET", "/.well-known/jwks.json", { _, _ in .json(TokenSigning.jwks) }),
            // Admin API (SPEC "Admin API"); guarded by --admin-token, removed by --no-admin.
            Route("GET", "/__admin/health", admin.health),
            Route("GET", "/__admin/scenario", admin.scenario),
            Route("PUT", "/__admin/scenario", admin.replaceScenario),
            Route("POST", "/__admin/reset", admin.reset),
            Route("GET", "/__admin/requests", admin.requests),
            Route("DELETE", "/__admin/requests", admin.clearRequests),
            Route("GET", "/__admin/clock", admin.clock),
            Route("POST", "/__admin/clock", admin.changeClock),
            Route("GET", "/__admin/faults", admin.faults),
            Route("POST", "/__admin/faults", admin.addFaults),
            Route("DELETE", "/__admin/faults", admin.clearFaults),
            Route("DELETE", "/__admin/faults/{id}", admin.removeFault),
            Route("POST", "/__admin/tokens", admin.mintToken),
            Route("GET", "/__admin/consents", AdminAPI.notYet("OAuth 2.0 (3LO) consent")),
            Route("POST", "/__admin/consents/{id}", AdminAPI.notYet("OAuth 2.0 (3LO) consent")),
            Route("POST", "/__admin/connect/lifecycle", AdminAPI.notYet("Atlassian Connect")),
            Route("POST", "/__admin/connect/jwt", AdminAPI.notYet("Atlassian Connect")),
            Route("POST", "/__admin/forge/tokens", AdminAPI.notYet("Forge")),
            Route("POST", "/__admin/forge/invoke", AdminAPI.notYet("Forge")),
        ])
    }

    /// Routes of one site, matched on the path relative to the site (see `SiteAddress`): reached on
    /// the site's domain (`Host`), under `/site/{name}`, and through `/ex/confluence/{cloudId}`.
    static func siteTable(site: SiteRoutes) -> Router<SiteRouteHandler> {
        Router([
            Route("GET", "/_edge/tenant_info", site.tenantInfo),
        ])
    }
}
