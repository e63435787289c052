import AuthMockFormats

/// The mock's notion of now: real time by default, or a scenario's start; it can be frozen,
/// advanced or set. Every expiry decision reads it.
struct ScenarioClock: Sendable {
    /// Scenario time at `anchor` (real time).
    private var base: Double
    private var anchor: Double
    private(set) var frozen: Bool

    init(_ settings: ClockSettings, realNow: Double = wallClockSeconds()) {
        base = settings.start ?? realNow
        anchor = realNow
        frozen = settings.frozen
    }

    func now(realNow: Double = wallClockSeconds()) -> Double { frozen ? base : base + (realNow - anchor) }

    mutating func advance(by seconds: Double, realNow: Double = wallClockSeconds()) {
        base = now(realNow: realNow) + seconds
        anchor = realNow
    }

    mutating func set(to time: Double, realNow: Double = wallClockSeconds()) {
        base = time
        anchor = realNow
    }

    mutating func setFrozen(_ frozen: Bool, realNow: Double = wallClockSeconds()) {
        base = now(realNow: realNow)
        anchor = realNow
        self.frozen = frozen
    }

    var json: JSONValue { ["now": .string(ISO8601.format(now(), milliseconds: true)), "frozen": .bool(frozen)] }
}
