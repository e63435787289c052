import AuthMockHTTP

/// What a route demands of a credential (docs/catalog.md): the OAuth scopes of each kind and the
/// Connect scope. A credential passes the scope gate with all of the classic scopes, all of the
/// granular ones, or all of one Beta alternative set; v2 routes list granular scopes only, so
/// classic scopes never open them.
struct RouteRequirement: Sendable {
    var classicScopes: [String] = []
    var granularScopes: [String] = []
    /// Other granular sets Atlassian accepts for the operation (its `Beta` scopes).
    var betaGranularScopes: [[String]] = []
    var connectScope: ConnectScope?
    /// `true` for operations no Connect app may call (Connect scope `INACCESSIBLE`).
    var closedToConnect = false
    /// `true` for operations that document no OAuth scope: no OAuth token opens them.
    var closedToOAuth = false
    /// The space permission the caller needs on the space the route touches.
    var permission: SpacePermission?
    /// `true` when the caller must administer the site (`site-admin` in the catalog).
    var siteAdmin = false
    /// `false` for routes anyone may call (`/_edge/tenant_info`).
    var needsCaller = true

    static let open = RouteRequirement(needsCaller: false)

    /// Scopes a credential holding `held` still lacks; empty when it passes. A refusal names the
    /// granular scopes it lacks, or the classic ones for an operation without granular scopes.
    func missingScopes(_ held: [String]) -> [String] {
        if closedToOAuth { return ["(no OAuth scope opens this operation)"] }
        let held = ScopeCatalog.withImplied(held)
        let sets = ([classicScopes, granularScopes] + betaGranularScopes).filter { !$0.isEmpty }
        guard !sets.isEmpty, !sets.contains(where: { $0.allSatisfy(held.contains) }) else { return [] }
        return (granularScopes.isEmpty ? classicScopes : granularScopes).filter { !held.contains($0) }
    }

    var allScopes: [String] { classicScopes + granularScopes }
}

/// One line of the site route catalog: the operation it serves (`nil` for the mock's own and the
/// scenario's routes), what the route needs, and what serves it.
struct CatalogEntry: Sendable {
    let requirement: RouteRequirement
    let handler: SiteRouteHandler
    var operation: OperationCatalog.Operation?
    /// `true` when the answer is generated from the operation's documented schema.
    var generated = false
}
