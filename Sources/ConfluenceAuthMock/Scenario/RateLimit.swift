import AuthMockFormats

extension Scenario {
    /// Whom a rate limit counts.
    public enum RateLimitScope: String, Sendable, Equatable, CaseIterable {
        case principal, global
    }

    /// A request quota in fixed windows on the scenario clock.
    public struct RateLimit: Sendable, Equatable {
        public var match: FaultMatch
        public var limit: Int
        public var windowSeconds: Int
        public var per: RateLimitScope
        /// `RateLimit-Reason` on 429s.
        public var reason: String

        public init(match: FaultMatch = FaultMatch(), limit: Int, windowSeconds: Int, per: RateLimitScope = .principal,
                    reason: String = "confluence-quota-tenant-based") {
            self.match = match
            self.limit = limit
            self.windowSeconds = windowSeconds
            self.per = per
            self.reason = reason
        }

        static let keys = ["match", "limit", "windowSeconds", "per", "reason"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            let match = object.required("match").flatMap(FaultMatch.init)
            let limit = object.required("limit")?.int(atLeast: 1)
            let window = object.required("windowSeconds")?.int(atLeast: 1)
            let per = object.optional("per").map { $0.oneOf(RateLimitScope.self, "rate-limit scope") } ?? .principal
            let reason = object.optional("reason")?.nonEmptyString ?? "confluence-quota-tenant-based"
            guard let match, let limit, let window, let per else { return nil }
            self.init(match: match, limit: limit, windowSeconds: window, per: per, reason: reason)
        }

        var json: JSONValue {
            .object(JSONObject([("match", match.jsonValue), ("limit", .int(limit)), ("windowSeconds", .int(windowSeconds)),
                                ("per", .string(per.rawValue)), ("reason", .string(reason))]))
        }
    }
}
