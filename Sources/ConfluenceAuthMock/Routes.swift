import AuthMockHTTP

/// What answers one route: the request, and the values its pattern took from the path.
typealias RouteHandler = @Sendable (HTTPRequest, RouteParameters) -> HTTPResponse

/// Every endpoint the mock serves, public and admin, one line each: the map of the product.
/// Table order decides ties (literal routes come before patterns that would also match).
enum Routes {
    static func table(admin: AdminAPI) -> Router<RouteHandler> {
        Router([
            // Admin API (SPEC "Admin API"); guarded by --admin-token, removed by --no-admin.
            Route("GET", "/__admin/health", admin.health),
        ])
    }
}
