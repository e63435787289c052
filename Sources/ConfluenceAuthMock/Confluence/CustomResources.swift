import AuthMockHTTP

extension SiteRoutes {
    /// The scenario's `resources` as catalog entries: same credential checks and scope gate as the
    /// built-in routes, then the space permission, then the canned response. They are matched
    /// before the built-in routes, whose answers they replace.
    static func customEntries(_ scenario: Scenario) -> Router<CatalogEntry> {
        Router(scenario.resources.map { resource in
            Route(resource.method, resource.path, CatalogEntry(requirement: resource.requirement, handler: { request in
                if let space = resource.space, let permission = resource.permission, !request.can(permission, in: space) {
                    request.deny("no \(permission.rawValue) permission on space \(space)")
                    return request.surface == .v2 ? Self.v2Forbidden : Self.v1PermissionDenied("Not permitted to use this resource")
                }
                return resource.response.httpResponse
            }, operation: resource.operation.flatMap(OperationCatalog.shared.operation(key:))))
        })
    }
}
