import AuthMockHTTP

/// The site router built from the operation catalog: every operation Atlassian documents is routed
/// at its documented path, with the catalog's scopes, Connect scope and permission, and answered by
/// the mock's stateful handler for it when there is one, else from its documented schema.
enum CatalogRoutes {
    /// The sites' routes, built once per process on first use (parsing the embedded catalog takes
    /// a few milliseconds): every mock shares them, since handlers keep no state of their own.
    static let shared: Router<CatalogEntry> = Routes.siteTable(site: SiteRoutes())

    /// Builds `shared` on a thread of its own, so that a mock answers its first request (a health
    /// check) without waiting for it; a site request arriving sooner waits for it to finish.
    static func prepareInBackground() {
        if !detachThread({ _ = shared }) { _ = shared }
    }

    /// `stateful` maps operation keys (`v1 getContentById`) to their handlers; `extra` are the
    /// site's routes outside the catalog (`/_edge/tenant_info`).
    static func router(stateful: [String: SiteRouteHandler], extra: [Route<CatalogEntry>],
                       catalog: OperationCatalog = .shared) -> Router<CatalogEntry> {
        Router(extra + catalog.operations.map { operation in
            let handler = stateful[operation.key]
            let entry = CatalogEntry(requirement: operation.requirement, handler: handler ?? generated(operation),
                                     operation: operation, generated: handler == nil)
            return Route(operation.method, operation.path, entry)
        })
    }

    /// Answers an operation without stateful behaviour: the caller's permission first, then a body
    /// generated from the documented schema.
    static func generated(_ operation: OperationCatalog.Operation) -> SiteRouteHandler {
        { request in
            if let refusal = request.operationAccessRefusal() { return refusal }
            let base = Representations.base(request)
            let selfURL = base.dropLast("/wiki".count) + request.address.path
            return GeneratedResponse.answer(operation, parameters: request.parameters, base: base, selfURL: String(selfURL))
        }
    }
}

extension SiteRequest {
    /// The space the request's path names: by key (`{spaceKey}`, v1 `/space/{…}`), by id (v2
    /// `/spaces/{id}`), or through content of the content model it names (a page, blog post,
    /// comment or attachment). `.unknown` when the path
    /// names a space the site lacks; `.none` when it names none the mock knows of.
    enum NamedSpace {
        case space(Space)
        case unknown(String)
        case none
    }

    var namedSpace: NamedSpace {
        let path = address.path
        if let key = parameters["spaceKey"] {
            return spaces.first { $0.key == key }.map(NamedSpace.space) ?? .unknown(key)
        }
        if let id = parameters["id"] ?? parameters["space-id"], path.hasPrefix("/wiki/api/v2/spaces/") {
            return spaces.first { $0.id == id }.map(NamedSpace.space) ?? .unknown(id)
        }
        for name in ["id", "pageId", "contentId", "page-id", "blogpost-id", "blogpostId", "attachment-id", "attachmentId", "comment-id"] {
            if let id = parameters[name], let item = content.item(onSite: site.name, id: id), let space = content.space(item.spaceKey, of: site) {
                return .space(space)
            }
        }
        return .none
    }

    /// For an operation answered from its schema: `nil` when the caller holds the operation's
    /// permission (on the space the path names, else on the site), else Confluence's refusal,
    /// noted for the journal.
    mutating func operationAccessRefusal() -> HTTPResponse? {
        if requirement.siteAdmin {
            guard caller.administers(site) else { return refuse("not an administrator of site \(site.name)") }
            return nil
        }
        switch namedSpace {
        case .unknown(let name):
            deny("no space \(name) on site \(site.name)")
            return surface == .v2 ? SiteRoutes.v2SpaceNotFound(name) : SiteRoutes.v1SpaceNotFound(name)
        case .space(let space):
            guard let needed = neededPermission, !can(needed, in: space.key) else { return nil }
            // What the caller may not view is hidden, as the content model's reads hide it.
            guard can(.view, in: space.key) else {
                deny("no view permission on space \(space.key)")
                return surface == .v2 ? ConfluenceErrors.v2(.notFound, code: "NOT_FOUND", title: "Not Found")
                                      : ConfluenceErrors.v1(.notFound, "com.atlassian.confluence.api.service.exceptions.NotFoundException: Not Found")
            }
            return refuse("no \(needed.rawValue) permission on space \(space.key)")
        case .none:
            guard caller.mayUse(site) else { return refuse("no access to site \(site.name)") }
            return nil
        }
    }

    private mutating func refuse(_ reason: String) -> HTTPResponse {
        deny(reason)
        return surface == .v2 ? SiteRoutes.v2Forbidden : SiteRoutes.v1PermissionDenied("Not permitted to use this operation")
    }
}
