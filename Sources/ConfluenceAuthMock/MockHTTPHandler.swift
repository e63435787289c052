import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP

/// Turns HTTP requests into answers: guards the admin API, routes, and answers what no route knows.
struct MockHTTPHandler: HTTPHandler {
    let router: Router<GlobalHandler>
    let siteRouter: Router<CatalogEntry>
    let options: MockServerOptions
    let log: RequestLogger
    let state: MockState

    func respond(to request: HTTPRequest) -> HTTPResponse {
        let started = monotonicNanoseconds()
        // Wall-clock time now, turned into scenario time under the journal's lock: one lock per request.
        let arrived = wallClockSeconds()
        if isAdmin(request) {
            let served = route(request)
            log.record(request, served.response, auth: served.auth, startedAt: started)
            return served.response
        }
        let served = serveWithFailures(request)
        log.record(request, served.response, auth: served.auth, startedAt: started)
        journal(request, served, arrived: arrived, started: started)
        return served.response
    }

    private func isAdmin(_ request: HTTPRequest) -> Bool { request.path == "/__admin" || request.path.hasPrefix("/__admin/") }

    private func journal(_ request: HTTPRequest, _ served: Served, arrived: Double, started: UInt64) {
        let duration = Double(monotonicNanoseconds() - started) / 1e6
        state.record(arrivedAt: arrived) { id, time in
            // A connection reset, closed or filled with garbage carried no status: 0.
            JournalEntry(id: id, time: time, method: request.method, path: request.path, query: request.query, headerFields: request.headers, bodyBytes: request.body,
                         status: served.response.wireFault.map { $0.sendsResponse ? served.response.status.code : 0 } ?? served.response.status.code,
                         durationMs: duration, fault: served.fault, auth: served.auth)
        }
    }

    /// Routes and answers a request; `scenario` is a snapshot the caller already took (one state lock fewer).
    func route(_ request: HTTPRequest, scenario: Scenario? = nil) -> Served {
        let (response, auth) = routeAndAuthenticate(request, scenario: scenario)
        return Served(response: response, auth: auth)
    }

    private func routeAndAuthenticate(_ request: HTTPRequest, scenario: Scenario?) -> (HTTPResponse, AuthRecord) {
        if isAdmin(request) {
            guard options.adminEnabled else { return (notFound(request), AuthRecord()) }
            if let refusal = checkAdminToken(request) { return (refusal, AuthRecord()) }
        }
        switch router.match(method: request.method, path: request.path) {
        case .found(.plain(let handler), let parameters):
            return (handler(request, parameters), AuthRecord())
        case .found(.authenticated(let handler), let parameters):
            return handler(request, parameters)
        case .methodNotAllowed(let allowed):
            return (methodNotAllowed(request, allowed), AuthRecord())
        case .notFound:
            return isAdmin(request) ? (notFound(request), AuthRecord()) : routeToSite(request, scenario: scenario ?? state.scenario)
        }
    }

    /// Paths the global table does not know belong to a site (SiteAddress): credentials are
    /// checked against the route's requirement, then the route answers as the caller.
    private func routeToSite(_ request: HTTPRequest, scenario: Scenario) -> (HTTPResponse, AuthRecord) {
        guard let address = SiteAddress.resolve(request, in: scenario) else {
            return (AdminAPI.error(.notFound, "no site for \(request.path) in scenario \"\(scenario.displayName)\""), AuthRecord())
        }
        var match = siteRouter.match(method: request.method, path: address.path)
        if case .notFound = match, !scenario.resources.isEmpty {
            match = SiteRoutes.customEntries(scenario).match(method: request.method, path: address.path)
        }
        switch match {
        case .found(let entry, let parameters):
            switch SiteAuthentication(scenario: scenario, state: state).authenticate(request, address: address, requirement: entry.requirement) {
            case .refused(let response, let record):
                return (response, record)
            case .caller(let caller, var record):
                let note = DecisionNote()
                let response = entry.handler(SiteRequest(http: request, address: address, parameters: parameters, requirement: entry.requirement, caller: caller,
                                                         state: state, decision: note))
                if let reason = note.deniedReason {
                    record.decision = "denied"
                    record.reason = reason
                }
                return (response, record)
            }
        case .methodNotAllowed(let allowed):
            return (methodNotAllowed(request, allowed), AuthRecord())
        case .notFound:
            return (notFound(request), AuthRecord())
        }
    }

    private func methodNotAllowed(_ request: HTTPRequest, _ allowed: [String]) -> HTTPResponse {
        var response = AdminAPI.error(.methodNotAllowed, "\(request.method) is not allowed on \(request.path)")
        response.headers.set("Allow", allowed.joined(separator: ", "))
        return response
    }

    private func notFound(_ request: HTTPRequest) -> HTTPResponse {
        AdminAPI.error(.notFound, "no route for \(request.method) \(request.path)")
    }

    /// `--admin-token`: a Bearer token compared in constant time.
    private func checkAdminToken(_ request: HTTPRequest) -> HTTPResponse? {
        guard let expected = options.adminToken else { return nil }
        let presented = request.authorization(scheme: "Bearer")
        guard let presented, ConstantTime.equals(presented, expected) else {
            var response = AdminAPI.error(.unauthorized, "the admin API needs Authorization: Bearer <admin token>")
            response.headers.set("WWW-Authenticate", "Bearer realm=\"confluence-auth-mock admin\"")
            return response
        }
        return nil
    }
}
