import AuthMockFormats
import AuthMockHTTP

/// A request addressed to one site, as a site route sees it.
struct SiteRequest {
    let http: HTTPRequest
    let address: SiteAddress
    let parameters: RouteParameters
}

/// What answers one site route.
typealias SiteRouteHandler = @Sendable (SiteRequest) -> HTTPResponse

/// Routes served per site, on its domain and through the gateway.
struct SiteRoutes: Sendable {
    /// `GET /_edge/tenant_info` → `{"cloudId": …}` with no credentials (reference §1.1), on the site's own domain only.
    var tenantInfo: SiteRouteHandler {
        { request in
            guard request.address.door == .site else { return AdminAPI.error(.notFound, "no route for GET \(request.http.path)") }
            return .json(["cloudId": .string(request.address.site.cloudId)])
        }
    }
}
