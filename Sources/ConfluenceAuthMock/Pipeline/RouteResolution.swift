import AuthMockHTTP

extension RequestPipeline {
    /// Routing: the global table first, then the catalog of the site the path addresses (the
    /// built-in routes, then the scenario's own `resources`). Finds the route only; nothing runs.
    func resolveRoute(_ context: inout RequestContext) {
        if let global = resolveGlobal(context.http) { return context.route = global }
        let request = context.http, scenario = context.snapshot.scenario
        guard let address = SiteAddress.resolve(request, in: scenario) else {
            let why = "no site for \(request.path) in scenario \"\(scenario.displayName)\""
            // A cloud id the gateway does not know gets the gateway's own shape, as a client
            // parsing Atlassian's errors expects; the journal says why.
            guard request.path.hasUTF8Prefix("/ex/") else { return context.route = .unrouted(AdminAPI.error(.notFound, why)) }
            context.auth.reason = why
            return context.route = .unrouted(ConfluenceErrors.gateway(.notFound, "Not Found"))
        }
        context.address = address
        var match = siteRoutes.match(method: request.method, path: address.path)
        if case .notFound = match, !scenario.resources.isEmpty {
            match = SiteRoutes.customEntries(scenario).match(method: request.method, path: address.path)
        }
        switch match {
        case .found(let entry, let parameters): context.route = .site(entry, parameters)
        case .methodNotAllowed(let allowed): context.route = .unrouted(Self.methodNotAllowed(request, allowed))
        case .notFound: context.route = .unrouted(Self.notFound(request))
        }
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
