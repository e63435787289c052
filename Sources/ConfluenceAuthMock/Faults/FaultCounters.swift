import AuthMockCrypto

/// SplitMix64: a small, fast generator whose whole sequence follows from its seed, so a seeded
/// `probability` fails the same requests on every run.
struct SeededRandom: Sendable {
    /// Where the sequence stands; a generator seeded with it goes on from here (a saved state).
    private(set) var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator seeded from the system's secure random source (an unseeded `probability`).
    static func unseeded() -> SeededRandom {
        SeededRandom(seed: SecureRandom.bytes(8).reduce(0) { $0 << 8 | UInt64($1) })
    }

    /// The next value in [0, 1).
    mutating func nextUnit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}

/// What one fault has counted since the scenario loaded or the mock was reset.
struct FaultCounter: Sendable {
    /// Requests the fault's non-counting keys accepted (the `n` of `calls`, `every`, `after`).
    var seen = 0
    /// Requests it changed (bounded by `times`; the position in its `sequence`).
    var fired = 0
    var random: SeededRandom

    init(seed: Int?) {
        random = seed.map { SeededRandom(seed: UInt64(bitPattern: Int64($0))) } ?? .unseeded()
    }

    /// Counts one accepted request and says whether the counting keys let the fault apply to it.
    /// The random draw happens for every accepted request, so a seeded fault's pattern does not
    /// depend on the other keys.
    mutating func admits(_ match: FaultMatch) -> Bool {
        seen += 1
        let draw = match.probability.map { _ in random.nextUnit() }
        if let calls = match.calls, !calls.contains(seen) { return false }
        if let every = match.every, seen % every != 0 { return false }
        if let after = match.after, seen <= after { return false }
        if let probability = match.probability, let draw, draw >= probability { return false }
        if let times = match.times, fired >= times { return false }
        return true
    }
}

/// The fault that applies to a request, and what it does this time.
struct AppliedFault: Sendable {
    /// The fault's name, or its id when it has none (what the journal records).
    let label: String
    let outcome: FaultOutcome
}

extension Fault {
    /// The outcome for its `fired`-th application (0-based), or `nil` once a `"then": "pass"`
    /// sequence is used up.
    func outcome(forApplication index: Int) -> FaultOutcome? {
        guard let sequence else { return outcome }
        if index < sequence.count { return sequence[index] }
        return then == .repeat ? sequence.last : nil
    }
}
