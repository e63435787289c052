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
        guard !classicScopes.isEmpty || !granularScopes.isEmpty || !betaGranularScopes.isEmpty else { return [] }
        let held = ScopeCatalog.withImplied(held)
        // Checked set by set, without building a list of them: every gated request comes here.
        func covered(_ set: [String]) -> Bool { !set.isEmpty && set.allSatisfy(held.contains) }
        if covered(granularScopes) || covered(classicScopes) || betaGranularScopes.contains(where: covered) { return [] }
        return (granularScopes.isEmpty ? classicScopes : granularScopes).filter { !held.contains($0) }
    }

    var allScopes: [String] { classicScopes + granularScopes }
}

/// One line of the site routes: the operation it serves (`nil` for the mock's own and the
/// scenario's routes), what the route needs, and what serves it. A class, immutable: a matched
/// entry is handed through every stage of the pipeline, and passing a reference costs one retain
/// where copying its fields cost a dozen.
final class CatalogEntry: Sendable {
    let requirement: RouteRequirement
    let handler: SiteRouteHandler
    let operation: OperationCatalog.Operation?
    /// `true` when the answer is generated from the operation's documented schema.
    let generated: Bool
    /// The operation's deprecation or removal, looked up once.
    let lifecycle: OperationLifecycle?

    init(requirement: RouteRequirement, handler: @escaping SiteRouteHandler, operation: OperationCatalog.Operation? = nil, generated: Bool = false) {
        self.requirement = requirement
        self.handler = handler
        self.operation = operation
        self.generated = generated
        lifecycle = OperationLifecycle.of(operation)
    }
}
