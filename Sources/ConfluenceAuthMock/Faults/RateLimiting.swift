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
    /// Whether the request is app traffic (an OAuth, Forge or Connect credential: a Bearer token or
    /// a JWT), which Cloud's points-based quotas also describe in `Beta-RateLimit-*` headers;
    /// API-token (basic) and anonymous traffic get the burst headers only (docs/reference.md §8.8).
    let appTraffic: Bool
    /// The 429, when a limit is exceeded (the first such limit in scenario order).
    private(set) var refusal: HTTPResponse?
    /// `rateLimits[N]` of the limit that refused, for the journal.
    private(set) var label: String?
    /// The limit closest to exhaustion, whose figures go on a served response.
    private var tightest: Figures?

    /// One limit's figures for one request.
    private struct Figures {
        let limit: RateLimit
        let remaining: Int
        /// Whole seconds to the window's end, rounded up so a client never retries early.
        let secondsLeft: Int

        init(_ window: RateWindow, _ limit: RateLimit, now: Double) {
            self.limit = limit
            remaining = max(0, limit.limit - window.count)
            secondsLeft = Int((window.end - now).rounded(.up))
        }

        /// `tenant-app-quota` for a limit counted per caller, `global-app-quota` for one counted
        /// over everyone: the policy names Cloud's headers carry.
        var policy: String { limit.per == .global ? "global-app-quota" : "tenant-app-quota" }
    }

    init(appTraffic: Bool) { self.appTraffic = appTraffic }

    mutating func note(_ window: RateWindow, _ limit: RateLimit, label: String, now: Double) {
        let figures = Figures(window, limit, now: now)
        if window.count > limit.limit, refusal == nil {
            refusal = tooManyRequests(figures, window: window)
            self.label = label
        }
        if tightest.map({ figures.remaining < $0.remaining }) ?? true { tightest = figures }
    }

    /// `X-RateLimit-Limit`, `X-RateLimit-Remaining` and, under 20% left, `X-RateLimit-NearLimit`;
    /// for app traffic also `Beta-RateLimit-Policy` and `Beta-RateLimit`.
    func addHeaders(to response: inout HTTPResponse) {
        guard let tightest, refusal == nil else { return }
        setCounts(&response.headers, tightest)
    }

    private func setCounts(_ headers: inout HTTPHeaders, _ figures: Figures) {
        headers.set("X-RateLimit-Limit", String(figures.limit.limit))
        headers.set("X-RateLimit-Remaining", String(figures.remaining))
        if Double(figures.remaining) < Double(figures.limit.limit) * 0.2 { headers.set("X-RateLimit-NearLimit", "true") }
        guard appTraffic else { return }
        // Structured fields as Cloud sends them: "policy";q=quota;w=window and "policy";r=remaining;t=seconds.
        headers.set("Beta-RateLimit-Policy", "\"\(figures.policy)\";q=\(figures.limit.limit);w=\(figures.limit.windowSeconds)")
        headers.set("Beta-RateLimit", "\"\(figures.policy)\";r=\(figures.remaining);t=\(figures.secondsLeft)")
    }

    /// 429 with `Retry-After` (whole seconds to the window's end), `X-RateLimit-Reset` (ISO-8601
    /// to the minute, docs/reference.md §6, rounded up so a client never retries early) and
    /// `RateLimit-Reason`; for app traffic also `Beta-Retry-After`.
    private func tooManyRequests(_ figures: Figures, window: RateWindow) -> HTTPResponse {
        var response = HTTPResponse.json(.object(JSONObject([("code", .int(429)), ("message", "Rate limit exceeded.")])), status: .tooManyRequests)
        response.headers.set("Retry-After", String(figures.secondsLeft))
        if appTraffic { response.headers.set("Beta-Retry-After", String(figures.secondsLeft)) }
        setCounts(&response.headers, figures)
        let resetMinute = (window.end / 60).rounded(.up) * 60
        response.headers.set("X-RateLimit-Reset", String(ISO8601.format(resetMinute).dropLast(4)) + "Z")
        response.headers.set("RateLimit-Reason", figures.limit.reason)
        return response
    }
}
