import AuthMockHTTP

/// What serving one request came to: the response, how it authenticated, and the fault or rate
/// limit that applied (the journal's `fault`).
struct Served {
    var response: HTTPResponse
    var auth: AuthRecord
    var fault: String? = nil
}

extension MockHTTPHandler {
    /// Rate limits, then faults, around normal routing (SPEC "Faults"). Both see who the request
    /// says it is before any handler runs; a request over a limit is answered 429 at once, and a
    /// fault that answers or breaks the wire keeps the handler from running at all (so a faulted
    /// token exchange does not use up its code).
    func serveWithFailures(_ request: HTTPRequest) -> Served {
        let (scenario, scripted) = state.scenarioAndScript
        guard scripted else { return route(request, scenario: scenario) }
        let view = FaultRequest(request, scenario: scenario, state: state)
        let limits = state.countRateLimits(view)
        if let refusal = limits.refusal { return Served(response: refusal, auth: view.record(reason: "rate limited"), fault: limits.label) }
        var served: Served
        if let applied = state.applicableFault(view) {
            served = apply(applied.outcome, to: request, view: view, scenario: scenario)
            served.fault = applied.label
        } else {
            served = route(request, scenario: scenario)
        }
        limits.addHeaders(to: &served.response)
        return served
    }

    private func apply(_ outcome: FaultOutcome, to request: HTTPRequest, view: FaultRequest, scenario: Scenario) -> Served {
        let wire = outcome.wire.map { Self.wireFault($0, bytesPerSecond: outcome.bytesPerSecond) }
        var served: Served
        if let respond = outcome.respond {
            served = Served(response: respond.httpResponse, auth: view.record(reason: "answered by a fault"))
        } else if let wire, !wire.sendsResponse {
            served = Served(response: HTTPResponse(wireFault: wire), auth: view.record(reason: "connection broken by a fault"))
        } else {
            // `delayMs` alone, `truncate` and `slow` spoil the normal answer.
            served = route(request, scenario: scenario)
            served.response.wireFault = wire
        }
        served.response.delayMilliseconds += outcome.delayMs ?? 0
        return served
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
        let mechanism = switch auth {
        case .basic: "basic"
        case .bearer: "oauth"
        case .jwt: "connect"
        case .none: "none"
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
