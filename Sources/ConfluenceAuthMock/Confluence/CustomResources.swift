import AuthMockHTTP

extension SiteRoutes {
    /// The scenario's `resources` as catalog entries: same credential checks and scope gate as the
    /// built-in routes, then the space permission, then the canned response.
    static func customEntries(_ scenario: Scenario) -> Router<CatalogEntry> {
        Router(scenario.resources.map { resource in
            let requirement = RouteRequirement(classicScopes: resource.classicScopes, granularScopes: resource.granularScopes,
                                               connectScope: resource.connectScope, permission: resource.permission)
            return Route(resource.method, resource.path, CatalogEntry(requirement: requirement, handler: { request in
                if let space = resource.space, let permission = resource.permission, !request.can(permission, in: space) {
                    request.deny("no \(permission.rawValue) permission on space \(space)")
                    return request.surface == .v2 ? Self.v2Forbidden : Self.v1PermissionDenied("Not permitted to use this resource")
                }
                return resource.response.httpResponse
            }))
        })
    }
}
