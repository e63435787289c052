import AuthMockFormats
import AuthMockHTTP

/// A request addressed to one site, as a site route sees it: checked credentials included.
struct SiteRequest {
    let http: HTTPRequest
    let address: SiteAddress
    let parameters: RouteParameters
    let requirement: RouteRequirement
    let caller: Caller
    /// What the request reads: the scenario and content as they were when it arrived.
    let snapshot: StateSnapshot
    /// Where writes go (under the state lock).
    let state: MockState
    /// Why the caller was refused a resource, for the journal (`decision: denied`, `reason`).
    private(set) var denial: String?

    init(http: HTTPRequest, address: SiteAddress, parameters: RouteParameters, requirement: RouteRequirement, caller: Caller,
         snapshot: StateSnapshot, state: MockState) {
        self.http = http
        self.address = address
        self.parameters = parameters
        self.requirement = requirement
        self.caller = caller
        self.snapshot = snapshot
        self.state = state
    }

    var site: Site { address.site }
    var scenario: Scenario { snapshot.scenario }
    var content: ContentStore { snapshot.content }
    var surface: APISurface { APISurface.of(sitePath: address.path) }

    /// Notes a permission denial for the journal.
    mutating func deny(_ reason: String) { denial = reason }

    func can(_ permission: SpacePermission, in spaceKey: String) -> Bool { caller.can(permission, in: spaceKey, on: site) }

    /// The permission the request needs on its space: the route's own (the catalog's), except that
    /// a delete asking to purge (v2's `purge=true`, v1's `status=trashed`) needs the space's admin
    /// permission.
    var neededPermission: SpacePermission? {
        if http.method == "DELETE" && (http.queryValue("purge") == "true" || http.queryValue("status") == "trashed") { return .admin }
        return requirement.permission
    }

    /// Whether the caller holds the request's permission on a space.
    func mayAct(in spaceKey: String) -> Bool { can(neededPermission ?? .view, in: spaceKey) }

    /// The request's permission as a word, for denial reasons.
    var permissionName: String { (neededPermission ?? .view).rawValue }

    /// The site's spaces as the request's snapshot has them (renames made before it arrived included).
    var spaces: [Space] { content.spaces(of: site) }

    /// An item of this site the caller may view, with its space: of one of `kinds`, with `status`
    /// (any when `nil`). `nil` when absent or hidden; a hidden item is noted as a denial for the
    /// journal.
    mutating func visibleItem(_ id: String, kinds: ContentKinds = .all, status: ContentStatus? = .current) -> (item: StoredContent, space: Space)? {
        // An attachment may be named without its `att` prefix, as v2's delete documents it.
        let found = content.item(onSite: site.name, id: id) ?? (kinds == .attachment ? content.item(onSite: site.name, id: "att" + id) : nil)
        guard let item = found, kinds.contains(ContentKinds(item.kind)), status.map({ $0 == item.status }) ?? true else { return nil }
        guard let space = content.space(item.spaceKey, of: site), can(.view, in: space.key) else {
            deny("no view permission on \(item.kind.rawValue) \(id)")
            return nil
        }
        return (item, space)
    }

    /// A page of this site the caller may view (current), with its space.
    mutating func visiblePage(_ id: String) -> (page: StoredContent, space: Space)? {
        visibleItem(id, kinds: [.page]).map { ($0.item, $0.space) }
    }

    /// An item to change: one the caller may view and holds the request's permission on.
    /// Otherwise `notFound`, or `forbidden` with the denial noted for the journal.
    mutating func itemToChange(_ id: String, kinds: ContentKinds = .all, status: ContentStatus? = .current, notFound: HTTPResponse,
                               forbidden: HTTPResponse) -> Result<(item: StoredContent, space: Space), HTTPResponseError> {
        guard let (item, space) = visibleItem(id, kinds: kinds, status: status) else { return .failure(HTTPResponseError(notFound)) }
        guard mayAct(in: space.key) else {
            deny("no \(permissionName) permission on space \(space.key)")
            return .failure(HTTPResponseError(forbidden))
        }
        return .success((item, space))
    }

    /// Creates an item, unless it is a page or blog post whose title the space already has
    /// (Confluence refuses duplicates).
    func create(_ kind: ContentKind, inSpace key: String, title: String, body: String, parentId: String? = nil, file: AttachmentFile? = nil,
                inlineSelection: String? = nil) -> StoredContent? {
        state.changeContent { content, now in
            if kind == .page || kind == .blogpost {
                guard !content.items(onSite: site.name, kind: kind, inSpace: key).contains(where: { $0.title == title }) else { return nil }
            }
            return content.create(onSite: site.name, kind: kind, spaceKey: key, title: title, body: body, parentId: parentId,
                                  authorId: caller.accountId, now: now, file: file, inlineSelection: inlineSelection)
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

/// What answers one site route.
typealias SiteRouteHandler = @Sendable (inout SiteRequest) -> HTTPResponse

/// Routes served per site, on its domain and through the gateway. Stateless: a handler reads and
/// writes the state its `SiteRequest` carries, so one table serves every mock in the process.
struct SiteRoutes: Sendable {

    /// `GET /_edge/tenant_info` → `{"cloudId": …}` with no credentials (docs/reference.md §1.1), on the site's own domain only.
    var tenantInfo: SiteRouteHandler {
        { request in
            guard request.address.door == .site else { return AdminAPI.error(.notFound, "no route for GET \(request.http.path)") }
            return .json(["cloudId": .string(request.address.site.cloudId)])
        }
    }
}
