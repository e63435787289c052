import AuthMockCrypto
import AuthMockHTTP
import Synchronization

/// What Atlassian's edge adds to every answer of a site and of the API gateway, as captured Cloud
/// answers show (docs/reference.md §8.3): `server: AtlassianEdge`, and a fresh trace id per request
/// as `atl-traceid` (32 hex digits) and `atl-request-id`. The two carry the same 128 bits here,
/// the request id written as a UUID: a choice, since the captures do not say how they relate.
enum AtlassianEdge {
    /// One request's trace id, in both of its forms.
    struct Trace: Equatable {
        /// 32 lower-case hex digits (`atl-traceid`, and the journal's `traceId`).
        let traceID: String
        /// The same bits as a UUID (`atl-request-id`).
        let requestID: String
    }

    /// The next trace id. Unique for the process's life and unpredictable from outside: a random
    /// seed and a counter, each half passed through SplitMix64 (a bijection, so distinct counters
    /// give distinct ids) — no system call and no lock per request, unlike `RAND_bytes`.
    static func nextTrace() -> Trace {
        let count = counter.add(1, ordering: .relaxed).newValue
        let high = splitMix64(seed.high &+ count), low = splitMix64(seed.low ^ count)
        var hex = [UInt8](repeating: 0, count: 32)
        for index in 0..<16 {
            let word = index < 8 ? high : low
            let byte = UInt8(truncatingIfNeeded: word >> UInt64((7 - index % 8) * 8))
            hex[index * 2] = digits[Int(byte >> 4)]
            hex[index * 2 + 1] = digits[Int(byte & 0x0f)]
        }
        var uuid = hex
        for position in [8, 13, 18, 23] { uuid.insert(UInt8(ascii: "-"), at: position) }  // 8-4-4-4-12
        return Trace(traceID: String(decoding: hex, as: UTF8.self), requestID: String(decoding: uuid, as: UTF8.self))
    }

    /// Stamps `response` with the edge's headers for `trace`.
    static func stamp(_ response: inout HTTPResponse, with trace: Trace) {
        response.headers.set("server", "AtlassianEdge")
        response.headers.set("atl-traceid", trace.traceID)
        response.headers.set("atl-request-id", trace.requestID)
    }

    private static let counter = Atomic<UInt64>(0)
    private static let seed: (high: UInt64, low: UInt64) = {
        let bytes = SecureRandom.bytes(16)
        func word(_ range: Range<Int>) -> UInt64 { bytes[range].reduce(0) { $0 << 8 | UInt64($1) } }
        return (word(0..<8), word(8..<16))
    }()
    private static let digits = Array("0123456789abcdef".utf8)

    private static func splitMix64(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
