import AuthMockHTTP

/// What a route demands of a credential (docs/reference.md §2.3): the OAuth scopes of each kind and the
/// Connect scope. A credential passes the scope gate with all of the classic scopes or all of the
/// granular ones; v2 routes list granular scopes only, so classic scopes never open them.
struct RouteRequirement: Sendable {
    var classicScopes: [String] = []
    var granularScopes: [String] = []
    var connectScope: ConnectScope?
    /// The space permission the caller needs on the space the route touches.
    var permission: SpacePermission?
    /// `false` for routes anyone may call (`/_edge/tenant_info`).
    var needsCaller = true

    static let open = RouteRequirement(needsCaller: false)

    /// Scopes a credential holding `held` still lacks; empty when it passes.
    func missingScopes(_ held: [String]) -> [String] {
        let classicOK = !classicScopes.isEmpty && classicScopes.allSatisfy(held.contains)
        let granularOK = !granularScopes.isEmpty && granularScopes.allSatisfy(held.contains)
        if classicOK || granularOK || (classicScopes.isEmpty && granularScopes.isEmpty) { return [] }
        return granularScopes.isEmpty ? classicScopes.filter { !held.contains($0) } : granularScopes.filter { !held.contains($0) }
    }

    var allScopes: [String] { classicScopes + granularScopes }
}

/// One line of the site route catalog: what the route needs, and what serves it.
struct CatalogEntry: Sendable {
    let requirement: RouteRequirement
    let handler: SiteRouteHandler
}
