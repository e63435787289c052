import AuthMockFormats
import AuthMockHTTP

/// A request addressed to one site, as a site route sees it: checked credentials included.
struct SiteRequest {
    let http: HTTPRequest
    let address: SiteAddress
    let parameters: RouteParameters
    let requirement: RouteRequirement
    let caller: Caller
    let state: MockState
    /// Where a denial is noted for the journal (`decision: denied`, `reason`).
    let decision: DecisionNote

    var site: Site { address.site }
    var surface: APISurface { APISurface.of(sitePath: address.path) }

    func can(_ permission: SpacePermission, in spaceKey: String) -> Bool { caller.can(permission, in: spaceKey, on: site) }

    /// Whether the caller holds the route's own permission (the catalog's) on a space.
    func mayAct(in spaceKey: String) -> Bool { can(requirement.permission ?? .view, in: spaceKey) }

    /// The route's permission as a word, for denial reasons.
    var permissionName: String { (requirement.permission ?? .view).rawValue }

    /// The site's spaces as they are now (renames by writes included).
    var spaces: [Space] { state.withContent { $0.spaces(of: site) } }

    /// A page of this site the caller may view, with its space; `nil` when absent or hidden.
    /// A hidden page is noted as a denial for the journal.
    func visiblePage(_ id: String) -> (page: StoredPage, space: Space)? {
        guard let page = state.withContent({ $0.page(onSite: site.name, id: id) }) else { return nil }
        guard let space = spaces.first(where: { $0.key == page.spaceKey }), can(.view, in: space.key) else {
            decision.deny("no view permission on page \(id)")
            return nil
        }
        return (page, space)
    }

    /// Creates a page, unless the space already has one with that title (Confluence refuses duplicates).
    func createPage(inSpace key: String, title: String, body: String) -> StoredPage? {
        state.changeContent { content, now in
            guard !content.pages(onSite: site.name, inSpace: key).contains(where: { $0.title == title }) else { return nil }
            return content.create(onSite: site.name, spaceKey: key, title: title, body: body, authorId: caller.accountId, now: now)
        }
    }

    /// The request body as a JSON object, or the surface's 400 answer.
    func jsonObject() -> Result<JSONValue, HTTPResponseError> {
        guard let value = try? http.jsonBody(), value.objectValue != nil else {
            let message = "the request body must be a JSON object"
            return .failure(HTTPResponseError(surface == .v2 ? ConfluenceErrors.v2(.badRequest, code: "INVALID_REQUEST_PARAMETER", title: message)
                                                             : ConfluenceErrors.v1(.badRequest, message)))
        }
        return .success(value)
    }
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
