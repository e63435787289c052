import AuthMockHTTP

extension RequestPipeline {
    /// Removed operations: after the scope gate (a token lacking the scope still gets its 401),
    /// a Bearer request through the gateway for an operation removed under the scenario's profile
    /// gets Confluence's 410.
    func retire(_ context: inout RequestContext) {
        guard context.response == nil, let lifecycle = context.route.entry?.lifecycle, let address = context.address,
              lifecycle.isRemoved(for: context.snapshot.scenario.profile, door: address.door, credential: context.credential)
        else { return }
        context.auth.deny("operation removed: \(lifecycle.operation) is gone under profile \(context.snapshot.scenario.profile.rawValue)")
        context.answer(OperationLifecycle.gone)
    }

    /// Validation: what Confluence checks of a request once its credentials passed (`RequestValidation`).
    func validate(_ context: inout RequestContext) {
        guard context.response == nil, case .site(let entry, let parameters) = context.route, let operation = entry.operation, let address = context.address,
              let problem = RequestValidation.problem(operation, context.http, parameters: parameters)
        else { return }
        // The credentials passed: the journal keeps the decision and says why the answer is a 400.
        context.auth.reason = "invalid request: \(problem)"
        context.answer(RequestValidation.badRequest(problem, surface: APISurface.of(sitePath: address.path)))
    }
}
