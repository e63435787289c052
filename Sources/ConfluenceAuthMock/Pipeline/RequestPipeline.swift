import AuthMockHTTP

/// Turns an HTTP request into an answer in one forward sweep of stages, each reading and writing
/// one `RequestContext` (docs/architecture.md, "The request pipeline"):
///
///     snapshot and credential → route → faults and rate limits → credentials → scope gate
///         → removed operations → validation → handler → decoration → journal and log
///
/// A stage that answers (a 404, a fault, a refused credential) leaves the later answering stages
/// nothing to do; no stage calls back into an earlier one. Admin requests take the admin guard
/// (which then routes them on the global table) in place of the route, faults, credentials and gate
/// stages, and are logged, not journaled.
package struct RequestPipeline: HTTPHandler {
    let routes: Router<GlobalHandler>
    /// Every site's routes: one table for the process (`CatalogRoutes.shared`).
    var siteRoutes: Router<CatalogEntry> { CatalogRoutes.shared }
    let options: MockServerOptions
    let log: RequestLogger
    let state: MockState
    /// The web console's session cookie and CSRF tokens, which the admin guard honours.
    var consoleSession = ConsoleSession()

    /// Keeps run-time state bounded: expired tokens, codes and windows are dropped (MockState.prune).
    package func maintain() { state.prune() }

    package func respond(to request: HTTPRequest) -> HTTPResponse {
        var context = RequestContext(request, state: state)
        proxy(&context)
        if context.response == nil { addressHost(&context) }
        let admin = Self.isAdmin(context.http)
        if admin {
            guardAdmin(&context)
        } else if context.response == nil {
            resolveRoute(&context)
            injectFailures(&context)
            verifyCredentials(&context)
            gate(&context)
            retire(&context)
            validate(&context)
        }
        handle(&context)
        decorate(&context)
        // Every route kind answers in `handle`; a 500 rather than a trap if a stage ever leaves
        // a request unanswered.
        let response = context.response ?? HTTPResponse(status: .internalServerError)
        log.record(request, response, auth: context.auth, startedAt: context.startedAt)
        if !admin { journal(context, response) }
        return response
    }

    static func isAdmin(_ request: HTTPRequest) -> Bool { request.path == "/__admin" || request.path.hasPrefix("/__admin/") }

    /// The admin API: absent with `--no-admin`, behind `--admin-token` when one is set, else routed.
    private func guardAdmin(_ context: inout RequestContext) {
        guard options.adminEnabled else { return context.answer(Self.notFound(context.http)) }
        if let refusal = AdminGuard.refusal(context.http, context.credential, token: options.adminToken, console: consoleSession) {
            return context.answer(refusal)
        }
        context.route = resolveGlobal(context.http) ?? .unrouted(Self.notFound(context.http))
    }

    /// Credentials: the route's mechanism turns the credential into a principal, or answers.
    private func verifyCredentials(_ context: inout RequestContext) {
        guard context.response == nil else { return }
        switch context.route {
        case .site(let entry, _):
            guard let address = context.address else { return }
            let authenticator = SiteAuthenticator(request: context.http, snapshot: context.snapshot, state: state, address: address)
            switch authenticator.verify(context.credential, requirement: entry.requirement, record: &context.auth) {
            case .verified(let principal): context.principal = principal
            case .refused(let response): context.answer(response)
            case .anonymousInstead(let refusal, let record):
                context.principal = Principal(caller: .anonymous, scopes: .unlimited)
                context.anonymousFallback = (refusal, record)
                context.auth = AuthRecord(mechanism: .anonymous, principal: "anonymous", decision: .allowed,
                                          reason: "bad credentials ignored: anonymous access")
            }
        case .global(.platform(let requirement, _), _):
            switch PlatformBearer.verify(context.credential, requirement: requirement, snapshot: context.snapshot, record: &context.auth) {
            case .success(let (principal, grant)):
                context.principal = principal
                context.grant = grant
            case .failure(let refusal): context.answer(refusal.response)
            }
        case .global, .unrouted:
            break
        }
    }

    /// The scope gate, for routes that name scopes.
    private func gate(_ context: inout RequestContext) {
        guard context.response == nil, let principal = context.principal, let requirement = context.route.requirement else { return }
        if let refusal = ScopeGate.refusal(principal, requirement: requirement, address: context.address, record: &context.auth) {
            context.answer(refusal)
        }
    }

    /// The route's handler, for a request no earlier stage answered.
    private func handle(_ context: inout RequestContext) {
        guard context.response == nil else { return }
        switch context.route {
        case .unrouted(let response):
            context.answer(response)
        case .global(.plain(let handler), let parameters):
            context.answer(handler(context.http, parameters))
        case .global(.endpoint(let handler), _):
            context.answer(handler(&context))
        case .global(.platform(_, let handler), _):
            guard let grant = context.grant, case .user(let user)? = context.principal?.caller else { return }
            context.answer(handler(PlatformRequest(http: context.http, snapshot: context.snapshot, grant: grant, user: user)))
        case .site(let entry, let parameters):
            guard let address = context.address, let principal = context.principal else { return }
            var request = SiteRequest(http: context.http, address: address, parameters: parameters, requirement: entry.requirement,
                                      caller: principal.caller, snapshot: context.snapshot, state: state)
            let answer = entry.handler(&request)
            context.handled = true
            // Served as anonymous only where anonymous users may read; elsewhere the refusal stands.
            if let fallback = context.anonymousFallback, !(200..<300).contains(answer.status.code) {
                return context.answer(fallback.refusal, auth: fallback.record)
            }
            context.answer(answer)
            if let denial = request.denial { context.auth.deny(denial) }
        }
    }

    /// Decoration: what faults and rate limits do to the answer, and the headers Atlassian's edge
    /// adds to every answer of a site or of the gateway (its own routes included).
    private func decorate(_ context: inout RequestContext) {
        guard var response = context.response else { return }
        // Taken out, not shared: a second reference would make the first header added copy every field.
        context.response = nil
        if let wire = context.wireFault { response.wireFault = wire }
        response.delayMilliseconds += context.delayMilliseconds
        context.rateLimits?.addHeaders(to: &response)
        if context.handled, let lifecycle = context.route.entry?.lifecycle {
            lifecycle.addHeaders(to: &response)
        }
        if Self.passesTheEdge(context) {
            let trace = AtlassianEdge.nextTrace()
            AtlassianEdge.stamp(&response, with: trace)
            context.traceID = trace.traceID
        }
        context.response = response
    }

    /// A site's answer, or the gateway's (`/ex/…`, `/me`, `accessible-resources`); not the auth
    /// host's, the key servers' or the admin API's.
    private static func passesTheEdge(_ context: RequestContext) -> Bool {
        if context.address != nil { return true }
        if case .global(.platform, _) = context.route { return true }
        return context.http.path.hasUTF8Prefix("/ex/")
    }

    private func journal(_ context: RequestContext, _ response: HTTPResponse) {
        let duration = Double(monotonicNanoseconds() - context.startedAt) / 1e6
        let request = context.http
        var auth = context.auth
        auth.credential = context.credential.kind
        let sent = response.wireFault?.sendsResponse != false
        let entry = context.route.entry
        // A body within the limit is shared, not copied.
        let bodyStart = response.body.count <= JournalEntry.responseBodyLimit ? response.body : Array(response.body.prefix(JournalEntry.responseBodyLimit))
        // A connection reset, closed or filled with garbage carried no status: 0. Numbered when
        // recorded; timed by the clock the request was served under.
        var record = JournalEntry(id: 0, time: context.snapshot.clock.now(realNow: context.arrivedAt), method: request.method, path: context.sentPath, pathWithinSite: context.address?.path, transport: request.transport, queryFields: request.query, headerFields: request.headers, bodyBytes: request.body,
                         status: sent ? response.status.code : 0, durationMs: duration, fault: context.fault, auth: auth,
                         traceId: sent ? context.traceID : nil,
                         responseHeaderFields: sent ? response.headers : HTTPHeaders(), responseBodyStart: sent ? bodyStart : [],
                         operationKey: entry?.operation?.key, generated: context.handled && entry?.generated == true)
        state.record(&record)
    }
}

extension RequestPipeline {
    /// The pipeline over every route, for a mock's state and options.
    package init(state: MockState, options: MockServerOptions, listeners: ListenerAddresses = ListenerAddresses()) {
        let session = ConsoleSession()
        let console = Console(state: state, session: session, listeners: listeners, adminToken: options.adminToken)
        let admin = AdminAPI(state: state, outboundTLS: options.outboundTLS, stateFile: options.stateFile,
                             proxyCACertificate: options.proxyEnabled ? (options.proxyCA ?? .bundled).certificatePEM : nil)
        self.init(routes: Routes.table(admin: admin,
                                       api: PlatformAPI(state: state), console: console),
                  options: options, log: RequestLogger(format: options.log), state: state, consoleSession: session)
    }
}
