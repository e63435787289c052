import AuthMockHTTP

extension RequestPipeline {
    /// Faults and rate limits (scenarios/README.md, "faults" and "rateLimits"). Both see who the
    /// request says it is before anything is verified. A request over a limit is answered 429 at
    /// once; a fault that answers or breaks the wire answers here, so no handler runs (a faulted
    /// token exchange keeps its code); a delay, truncation or slow body is noted for the
    /// decoration stage to put on the answer. Skipped when the scenario scripts neither.
    func injectFailures(_ context: inout RequestContext) {
        guard context.snapshot.scripted else { return }
        let view = FaultRequest(context.http, sitePath: context.address?.path ?? context.http.path, credential: context.credential,
                                snapshot: context.snapshot)
        let limits = state.countRateLimits(view)
        if let refusal = limits.refusal {
            context.fault = limits.label
            return context.answer(refusal, auth: view.record(reason: "rate limited"))
        }
        context.rateLimits = limits
        guard let applied = state.applicableFault(view) else { return }
        let outcome = applied.outcome
        context.fault = applied.label
        context.delayMilliseconds += outcome.delayMs ?? 0
        let wire = outcome.wire.map { Self.wireFault($0, bytesPerSecond: outcome.bytesPerSecond) }
        if let respond = outcome.respond {
            context.answer(respond.httpResponse, auth: view.record(reason: "answered by a fault"))
        } else if let wire, !wire.sendsResponse {
            context.answer(HTTPResponse(wireFault: wire), auth: view.record(reason: "connection broken by a fault"))
        } else {
            // `truncate` and `slow` spoil the answer the handler gives.
            context.wireFault = wire
        }
    }

    /// Garbage is 256 random bytes: enough to fill a client's first read, never a valid status line.
    private static func wireFault(_ kind: WireFaultKind, bytesPerSecond: Int?) -> WireFault {
        switch kind {
        case .reset: .reset
        case .close: .close
        case .garbage: .garbage(byteCount: 256)
        case .truncate: .truncate
        case .slow: .slow(bytesPerSecond: bytesPerSecond ?? 1)
        }
    }
}

extension FaultRequest {
    /// The journal's record of a request a fault or limit answered before any handler ran: who it
    /// said it was, not whether that held.
    func record(reason: String) -> AuthRecord {
        let mechanism: AuthMechanism = switch auth {
        case .basic: .basic
        case .bearer: .oauth
        case .jwt: .connect
        case .noCredential: .unchecked
        }
        return AuthRecord(mechanism: mechanism, principal: principals.first, reason: reason)
    }
}

extension WireFault {
    /// Whether the client still receives a status line.
    var sendsResponse: Bool {
        switch self {
        case .truncate, .slow: true
        case .reset, .close, .garbage: false
        }
    }
}
