import AuthMockFormats
import AuthMockHTTP

/// One fixed window of a rate limit: aligned to multiples of its length on the scenario clock, so
/// advancing the clock past its end starts a new, empty one.
struct RateWindow: Sendable {
    let start: Double
    let end: Double
    var count = 0

    init(_ limit: RateLimit, now: Double) {
        let length = Double(limit.windowSeconds)
        start = (now / length).rounded(.down) * length
        end = start + length
    }

    func contains(_ time: Double) -> Bool { time >= start && time < end }
}

/// What the rate limits say about one request: the headers to add, or the 429 that replaces it.
struct RateLimitDecision {
    /// The 429, when a limit is exceeded (the first such limit in scenario order).
    private(set) var refusal: HTTPResponse?
    /// `rateLimits[N]` of the limit that refused, for the journal.
    private(set) var label: String?
    /// The limit closest to exhaustion, whose figures go on a served response.
    private var tightest: (limit: Int, remaining: Int)?

    mutating func note(_ window: RateWindow, _ limit: RateLimit, label: String, now: Double) {
        let remaining = max(0, limit.limit - window.count)
        if window.count > limit.limit, refusal == nil {
            refusal = Self.tooManyRequests(window, limit, now: now)
            self.label = label
        }
        if tightest.map({ remaining < $0.remaining }) ?? true { tightest = (limit.limit, remaining) }
    }

    /// `X-RateLimit-Limit`, `X-RateLimit-Remaining` and, under 20% left, `X-RateLimit-NearLimit`.
    func addHeaders(to response: inout HTTPResponse) {
        guard let tightest, refusal == nil else { return }
        Self.setCounts(&response.headers, limit: tightest.limit, remaining: tightest.remaining)
    }

    private static func setCounts(_ headers: inout HTTPHeaders, limit: Int, remaining: Int) {
        headers.set("X-RateLimit-Limit", String(limit))
        headers.set("X-RateLimit-Remaining", String(remaining))
        if Double(remaining) < Double(limit) * 0.2 { headers.set("X-RateLimit-NearLimit", "true") }
    }

    /// 429 with `Retry-After` (whole seconds to the window's end), `X-RateLimit-Reset` (ISO-8601
    /// to the minute, docs/reference.md §6, rounded up so a client never retries early) and `RateLimit-Reason`.
    private static func tooManyRequests(_ window: RateWindow, _ limit: RateLimit, now: Double) -> HTTPResponse {
        var response = HTTPResponse.json(.object(JSONObject([("code", .int(429)), ("message", "Rate limit exceeded.")])), status: .tooManyRequests)
        response.headers.set("Retry-After", String(Int((window.end - now).rounded(.up))))
        setCounts(&response.headers, limit: limit.limit, remaining: 0)
        let resetMinute = (window.end / 60).rounded(.up) * 60
        response.headers.set("X-RateLimit-Reset", String(ISO8601.format(resetMinute).dropLast(4)) + "Z")
        response.headers.set("RateLimit-Reason", limit.reason)
        return response
    }
}
