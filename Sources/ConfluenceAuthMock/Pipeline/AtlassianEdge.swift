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
        // Written once with wrapping arithmetic and copied into both strings: this runs on every
        // site and gateway request, and checked shifts per nibble cost several times as much.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { hex in
            writeHex(high, into: hex, at: 0)
            writeHex(low, into: hex, at: 16)
            let traceID = String(unsafeUninitializedCapacity: 32) { $0.initialize(fromContentsOf: hex) }
            let requestID = String(unsafeUninitializedCapacity: 36) { buffer in
                var written = 0
                for index in 0..<32 {
                    if index == 8 || index == 12 || index == 16 || index == 20 { buffer[written] = UInt8(ascii: "-"); written &+= 1 }  // 8-4-4-4-12
                    buffer[written] = hex[index]
                    written &+= 1
                }
                return written
            }
            return Trace(traceID: traceID, requestID: requestID)
        }
    }

    /// The 16 hex digits of `value` (lower case) into `buffer` from `start`.
    private static func writeHex(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        for index in 0..<16 {
            let nibble = UInt8(truncatingIfNeeded: value &>> UInt64(truncatingIfNeeded: (15 &- index) &* 4)) & 0x0f
            buffer[start &+ index] = nibble < 10 ? 0x30 &+ nibble : 0x57 &+ nibble  // 0-9, a-f
        }
    }

    /// Stamps `response` with the edge's headers for `trace`.
    static func stamp(_ response: inout HTTPResponse, with trace: Trace) {
        // Added, not set: no handler names these, and `set` would search every field for each.
        // Room for the three first, so the field list grows once.
        response.headers.reserveCapacity(response.headers.count + 3)
        response.headers.add("server", "AtlassianEdge")
        response.headers.add("atl-traceid", trace.traceID)
        response.headers.add("atl-request-id", trace.requestID)
    }

    private static let counter = Atomic<UInt64>(0)
    private static let seed: (high: UInt64, low: UInt64) = {
        let bytes = SecureRandom.bytes(16)
        func word(_ range: Range<Int>) -> UInt64 { bytes[range].reduce(0) { $0 << 8 | UInt64($1) } }
        return (word(0..<8), word(8..<16))
    }()

    private static func splitMix64(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
