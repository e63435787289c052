import AuthMockFormats
import AuthMockHTTP

/// A request addressed to one site, as a site route sees it: checked credentials included.
struct SiteRequest {
    let http: HTTPRequest
    let address: SiteAddress
    let parameters: RouteParameters
    let caller: Caller
    let state: MockState
    /// Where a denial is noted for the journal (`decision: denied`, `reason`).
    let decision: DecisionNote

    var site: Site { address.site }
    var surface: APISurface { APISurface.of(sitePath: address.path) }

    func can(_ permission: SpacePermission, in spaceKey: String) -> Bool { caller.can(permission, in: spaceKey, on: site) }
}

/// A per-request note of a permission denial, read back for the journal.
final class DecisionNote {
    var deniedReason: String?
    func deny(_ reason: String) { deniedReason = reason }
}

/// What answers one site route.
typealias SiteRouteHandler = @Sendable (SiteRequest) -> HTTPResponse

/// Routes served per site, on its domain and through the gateway.
struct SiteRoutes: Sendable {
    let state: MockState

    /// `GET /_edge/tenant_info` → `{"cloudId": …}` with no credentials (reference §1.1), on the site's own domain only.
    var tenantInfo: SiteRouteHandler {
        { request in
            guard request.address.door == .site else { return AdminAPI.error(.notFound, "no route for GET \(request.http.path)") }
            return .json(["cloudId": .string(request.address.site.cloudId)])
        }
    }
}
