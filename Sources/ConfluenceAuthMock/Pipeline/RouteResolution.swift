import AuthMockHTTP

extension RequestPipeline {
    /// Routing: the global table first, then the routes of the site the path addresses (the
    /// scenario's own `resources`, then the operation catalog). Finds the route only; nothing runs.
    func resolveRoute(_ context: inout RequestContext) {
        if let global = resolveGlobal(context.http) { return context.route = global }
        // Members of the scenario, never the whole of it: a copy would count every shared field.
        let request = context.http, snapshot = context.snapshot
        guard let address = SiteAddress.resolve(request, among: snapshot.scenario.sites) else {
            let why = "no site for \(request.path) in scenario \"\(snapshot.scenario.displayName)\""
            // A cloud id the gateway does not know gets the gateway's own shape, as a client
            // parsing Atlassian's errors expects; the journal says why.
            guard request.path.hasUTF8Prefix("/ex/") else { return context.route = .unrouted(AdminAPI.error(.notFound, why)) }
            context.auth.reason = why
            return context.route = .unrouted(ConfluenceErrors.gateway(.notFound, "Not Found"))
        }
        context.address = address
        // The scenario's own resources first: they replace what the mock would answer.
        var match = Router<CatalogEntry>.Match.notFound
        if !snapshot.scenario.resources.isEmpty { match = SiteRoutes.customEntries(snapshot.scenario).match(method: request.method, path: address.path) }
        if case .found = match {} else { match = siteRoutes.match(method: request.method, path: address.path) }
        switch match {
        case .found(let entry, let parameters): context.route = .site(entry, parameters)
        case .methodNotAllowed(let allowed): context.route = .unrouted(Self.methodNotAllowed(request, allowed, surface: APISurface.of(sitePath: address.path)))
        case .notFound: context.route = .unrouted(Self.notFound(request, surface: APISurface.of(sitePath: address.path)))
        }
    }

    /// A path under a REST API's prefix that no operation has: a 404 in that API's shape.
    static func notFound(_ request: HTTPRequest, surface: APISurface) -> HTTPResponse {
        switch surface {
        case .v1: ConfluenceErrors.v1(.notFound, "No operation of the REST API v1 at \(request.method) \(request.path)")
        case .v2: ConfluenceErrors.v2(.notFound, code: "NOT_FOUND", title: "Not Found", detail: "No operation of the REST API v2 at \(request.method) \(request.path)")
        case .other: notFound(request)
        }
    }

    /// A known path under a REST API's prefix asked with another method: a 405 in that API's
    /// shape, with `Allow`.
    static func methodNotAllowed(_ request: HTTPRequest, _ allowed: [String], surface: APISurface) -> HTTPResponse {
        var response: HTTPResponse
        switch surface {
        case .v1: response = ConfluenceErrors.v1(.methodNotAllowed, "\(request.method) is not supported by \(request.path)")
        case .v2: response = ConfluenceErrors.v2(.methodNotAllowed, code: "METHOD_NOT_ALLOWED", title: "Method Not Allowed",
                                                 detail: "\(request.method) is not supported by \(request.path)")
        case .other: return methodNotAllowed(request, allowed)
        }
        response.headers.set("Allow", allowed.joined(separator: ", "))
        return response
    }

    /// The global table's route for `request`; `nil` when the table does not know the path.
    func resolveGlobal(_ request: HTTPRequest) -> ResolvedRoute? {
        switch routes.match(method: request.method, path: request.path) {
        case .found(let handler, let parameters): .global(handler, parameters)
        case .methodNotAllowed(let allowed): .unrouted(Self.methodNotAllowed(request, allowed))
        case .notFound: Self.isAdmin(request) ? .unrouted(Self.notFound(request)) : nil
        }
    }

    static func methodNotAllowed(_ request: HTTPRequest, _ allowed: [String]) -> HTTPResponse {
        var response = AdminAPI.error(.methodNotAllowed, "\(request.method) is not allowed on \(request.path)")
        response.headers.set("Allow", allowed.joined(separator: ", "))
        return response
    }

    static func notFound(_ request: HTTPRequest) -> HTTPResponse {
        AdminAPI.error(.notFound, "no route for \(request.method) \(request.path)")
    }
}
