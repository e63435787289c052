import AuthMockFormats
import AuthMockHTTP

extension AdminAPI {
    /// `GET /__admin/clock` → `{"now":ISO-8601,"frozen":BOOL}`.
    var clock: RouteHandler {
        { _, _ in .json(state.clockJSON) }
    }

    /// `POST /__admin/clock` with `{"advanceSeconds":N}` or `{"set":ISO-8601}`, optional `"frozen"`.
    var changeClock: RouteHandler {
        { request, _ in
            switch Self.readBody(request, ClockChange.init) {
            case .failure(let error): return error.response
            case .success(let change):
                state.updateClock(change.apply)
                return .json(state.clockJSON)
            }
        }
    }
}

/// A change to the scenario clock, as the admin API and the Swift API take it.
struct ClockChange: Sendable {
    var advanceSeconds: Double?
    var set: Double?
    var frozen: Bool?

    init(advanceSeconds: Double? = nil, set: Double? = nil, frozen: Bool? = nil) {
        self.advanceSeconds = advanceSeconds
        self.set = set
        self.frozen = frozen
    }

    /// Whether the clock may move by `seconds`: at most a century either way, since times become
    /// whole seconds in `exp` claims, which a clock pushed past Int's range would overflow.
    static func isAllowed(advance seconds: Double) -> Bool { seconds.isFinite && abs(seconds) <= 3_153_600_000 }

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: ["advanceSeconds", "set", "frozen"]) else { return nil }
        advanceSeconds = object.optional("advanceSeconds")?.number
        if let advance = advanceSeconds, !Self.isAllowed(advance: advance) {
            object.optional("advanceSeconds")?.report("expected at most 3153600000 seconds (a century) either way, found \(advance)")
        }
        if let text = object.optional("set")?.string {
            set = ISO8601.parse(text)
            if set == nil { object.optional("set")?.report("\"\(text)\" is not an ISO-8601 time such as 2026-01-01T00:00:00Z") }
        }
        frozen = object.optional("frozen")?.bool
        if object.has("advanceSeconds") && object.has("set") { node.report("give \"advanceSeconds\" or \"set\", not both") }
        if !(object.has("advanceSeconds") || object.has("set") || object.has("frozen")) {
            node.report("expected \"advanceSeconds\", \"set\" or \"frozen\"")
        }
    }

    func apply(to clock: inout ScenarioClock) {
        if let frozen { clock.setFrozen(frozen) }
        if let set { clock.set(to: set) }
        if let advanceSeconds { clock.advance(by: advanceSeconds) }
    }
}
