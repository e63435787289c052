import AuthMockHTTP

/// Where the routing stage sent a request.
enum ResolvedRoute {
    /// A line of the global table (Atlassian's auth and API hosts, the admin API).
    case global(GlobalHandler, RouteParameters)
    /// A line of a site's catalog.
    case site(CatalogEntry, RouteParameters)
    /// No route: the 404 or 405 to answer.
    case unrouted(HTTPResponse)

    /// The site route's entry, if the route is one.
    var entry: CatalogEntry? { if case .site(let entry, _) = self { entry } else { nil } }

    /// What the route demands of a credential, for the routes the scope gate weighs.
    var requirement: RouteRequirement? {
        switch self {
        case .site(let entry, _): entry.requirement
        case .global(.platform(let requirement, _), _): requirement
        case .global, .unrouted: nil
        }
    }
}

/// Everything one request carries through the pipeline (`RequestPipeline`): what arrived, what
/// each stage found, and the answer. Each stage reads what earlier stages wrote and adds its own.
struct RequestContext {
    /// The request; the host stage moves the path of one that addressed a host onto the mock's origin.
    var http: HTTPRequest
    /// The path as the client sent it, for the journal.
    let sentPath: String
    /// The credential, parsed once when the request arrives.
    let credential: Credential
    /// The state the request reads, taken once when it arrives.
    let snapshot: StateSnapshot
    /// Wall-clock seconds at arrival (the journal turns them into scenario time).
    let arrivedAt: Double
    let startedAt: UInt64

    /// Routing: the route, and the site and door the path addresses, if any.
    var route = ResolvedRoute.unrouted(HTTPResponse(status: .notFound))
    var address: SiteAddress?
    /// Credentials: who is calling, and for `api.atlassian.com`'s own routes the token's grant.
    var principal: Principal?
    /// The refusal to answer instead, with its journal record, when wrong credentials were let
    /// through as the anonymous user and the handler then did not serve them.
    var anonymousFallback: (refusal: HTTPResponse, record: AuthRecord)?
    var grant: AccessGrant?
    /// How the request authenticated and what was decided: the journal's `auth`.
    var auth = AuthRecord()
    /// Faults: the fault or rate limit that applied (the journal's `fault`), what it does to the
    /// answer once there is one, and the rate-limit figures to report.
    var fault: String?
    var wireFault: WireFault?
    var delayMilliseconds = 0
    var rateLimits: RateLimitDecision?
    /// The trace id Atlassian's edge headers carry, when the answer passed the edge.
    var traceID: String?
    /// `true` once the site route's handler answered (not an earlier stage's refusal).
    var handled = false
    /// The answer, once a stage has given it; later stages that would answer are skipped.
    var response: HTTPResponse?

    init(_ request: HTTPRequest, state: MockState) {
        startedAt = monotonicNanoseconds()
        arrivedAt = wallClockSeconds()
        http = request
        // A request to the proxy in absolute form is journaled by its URL (without the query).
        if case .absolute? = request.proxyForm { sentPath = String(request.target.prefix { $0 != "?" }) } else { sentPath = request.path }
        credential = Credential.parse(request)
        snapshot = state.snapshot(bearer: credential.bearerToken)
    }

    /// Answers the request with `response`, recording `auth` when given.
    mutating func answer(_ response: HTTPResponse, auth: AuthRecord? = nil) {
        self.response = response
        if let auth { self.auth = auth }
    }
}
