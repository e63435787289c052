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
        // Written in place, a nibble at a time: this runs on every site and gateway request.
        func hexDigit(_ index: Int) -> UInt8 {
            let nibble = UInt8(truncatingIfNeeded: (index < 16 ? high : low) >> UInt64((15 - (index & 15)) * 4)) & 0x0f
            return nibble < 10 ? 0x30 + nibble : 0x57 + nibble  // 0-9, a-f
        }
        let traceID = String(unsafeUninitializedCapacity: 32) { buffer in
            for index in 0..<32 { buffer[index] = hexDigit(index) }
            return 32
        }
        let requestID = String(unsafeUninitializedCapacity: 36) { buffer in
            var written = 0
            for index in 0..<32 {
                if index == 8 || index == 12 || index == 16 || index == 20 { buffer[written] = UInt8(ascii: "-"); written += 1 }  // 8-4-4-4-12
                buffer[written] = hexDigit(index)
                written += 1
            }
            return written
        }
        return Trace(traceID: traceID, requestID: requestID)
    }

    /// Stamps `response` with the edge's headers for `trace`.
    static func stamp(_ response: inout HTTPResponse, with trace: Trace) {
        // Added, not set: no handler names these, and `set` would search every field for each.
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
