import AuthMockFormats

extension Scenario {
    /// The era of Atlassian's error shapes (docs/reference.md §3.2).
    public enum Profile: String, Sendable, Equatable, CaseIterable {
        case cloud2026 = "cloud-2026"
        case cloud2021 = "cloud-2021"
    }

    /// The scenario clock's starting point.
    public struct ClockSettings: Sendable, Equatable {
        /// Seconds since 1970 the clock starts at; `nil` starts at the real time.
        public var start: Double?
        /// A frozen clock moves only when told to (admin API or Swift API).
        public var frozen: Bool

        public init(start: Double? = nil, frozen: Bool = false) {
            self.start = start
            self.frozen = frozen
        }

        static let keys = ["start", "frozen"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            var start: Double?
            if let text = object.optional("start")?.string {
                start = ISO8601.parse(text)
                if start == nil { object.optional("start")?.report("\"\(text)\" is not an ISO-8601 time such as 2026-01-01T00:00:00Z") }
            }
            self.init(start: start, frozen: object.optional("frozen")?.bool ?? false)
        }

        var json: JSONValue {
            var object = JSONObject()
            if let start { object["start"] = .string(ISO8601.format(start)) }
            object["frozen"] = .bool(frozen)
            return .object(object)
        }
    }

    /// Token lifetimes and leeways, in seconds.
    public struct TokenSettings: Sendable, Equatable {
        /// The longest duration any lifetime, leeway or `ttl` may have: ten years. Expiry times and
        /// `exp` claims are the clock's time plus a duration, which must not overflow.
        public static let maximumSeconds = 315_360_000

        /// Why `seconds` is no duration the mock accepts, or `nil`.
        static func refusal(seconds: Int, atLeast minimum: Int = 0) -> String? {
            if seconds < minimum { return "expected a whole number of at least \(minimum), found \(seconds)" }
            if seconds > maximumSeconds { return "expected at most \(maximumSeconds) seconds (ten years), found \(seconds)" }
            return nil
        }

        public var accessTokenLifetime: Int
        public var authorizationCodeLifetime: Int
        /// How long a rotated refresh token may still be used (Atlassian: 10 minutes).
        public var refreshTokenReuseInterval: Int
        /// A refresh token unused this long expires (Atlassian: 90 days).
        public var refreshTokenInactivity: Int
        /// Clock skew tolerated on Connect JWTs' `exp` and `iat`.
        public var connectJwtLeeway: Int
        /// Connect JWTs the mock signs as Confluence: lifecycle hooks, and product-side JWTs minted
        /// without a `ttl`.
        public var connectJwtLifetime: Int
        /// Connect user impersonation tokens (ACE's test mock; the real value is unknown, docs/reference.md §7).
        public var impersonationTokenLifetime: Int
        /// Forge app tokens, system and user (the system token lives "at least 2 hours", docs/reference.md §5.2).
        public var forgeAppTokenLifetime: Int
        /// Forge invocation tokens sent to a remote (the reference's example, §5.1).
        public var forgeInvocationTokenLifetime: Int
        /// A service account's client-credentials access tokens (Atlassian: 60 minutes, docs/reference.md §8.5).
        public var serviceAccountTokenLifetime: Int

        /// Every lifetime and leeway in seconds, each defaulting to the value above (a scenario
        /// validates them: at least 1, or 0 for the reuse interval and leeway, and at most ten years).
        public init(accessTokenLifetime: Int = 3600, authorizationCodeLifetime: Int = 600, refreshTokenReuseInterval: Int = 600,
                    refreshTokenInactivity: Int = 7_776_000, connectJwtLeeway: Int = 30, connectJwtLifetime: Int = 180,
                    impersonationTokenLifetime: Int = 900, forgeAppTokenLifetime: Int = 7200, forgeInvocationTokenLifetime: Int = 25,
                    serviceAccountTokenLifetime: Int = 3600) {
            self.accessTokenLifetime = accessTokenLifetime
            self.authorizationCodeLifetime = authorizationCodeLifetime
            self.refreshTokenReuseInterval = refreshTokenReuseInterval
            self.refreshTokenInactivity = refreshTokenInactivity
            self.connectJwtLeeway = connectJwtLeeway
            self.connectJwtLifetime = connectJwtLifetime
            self.impersonationTokenLifetime = impersonationTokenLifetime
            self.forgeAppTokenLifetime = forgeAppTokenLifetime
            self.forgeInvocationTokenLifetime = forgeInvocationTokenLifetime
            self.serviceAccountTokenLifetime = serviceAccountTokenLifetime
        }

        static let keys = ["accessTokenLifetime", "authorizationCodeLifetime", "refreshTokenReuseInterval", "refreshTokenInactivity", "connectJwtLeeway",
                           "connectJwtLifetime", "impersonationTokenLifetime", "forgeAppTokenLifetime", "forgeInvocationTokenLifetime",
                           "serviceAccountTokenLifetime"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            self.init()
            accessTokenLifetime = object.optional("accessTokenLifetime")?.seconds(atLeast: 1) ?? accessTokenLifetime
            authorizationCodeLifetime = object.optional("authorizationCodeLifetime")?.seconds(atLeast: 1) ?? authorizationCodeLifetime
            refreshTokenReuseInterval = object.optional("refreshTokenReuseInterval")?.seconds(atLeast: 0) ?? refreshTokenReuseInterval
            refreshTokenInactivity = object.optional("refreshTokenInactivity")?.seconds(atLeast: 1) ?? refreshTokenInactivity
            connectJwtLeeway = object.optional("connectJwtLeeway")?.seconds(atLeast: 0) ?? connectJwtLeeway
            connectJwtLifetime = object.optional("connectJwtLifetime")?.seconds(atLeast: 1) ?? connectJwtLifetime
            impersonationTokenLifetime = object.optional("impersonationTokenLifetime")?.seconds(atLeast: 1) ?? impersonationTokenLifetime
            forgeAppTokenLifetime = object.optional("forgeAppTokenLifetime")?.seconds(atLeast: 1) ?? forgeAppTokenLifetime
            forgeInvocationTokenLifetime = object.optional("forgeInvocationTokenLifetime")?.seconds(atLeast: 1) ?? forgeInvocationTokenLifetime
            serviceAccountTokenLifetime = object.optional("serviceAccountTokenLifetime")?.seconds(atLeast: 1) ?? serviceAccountTokenLifetime
        }

        var json: JSONValue {
            .object(JSONObject([("accessTokenLifetime", .int(accessTokenLifetime)), ("authorizationCodeLifetime", .int(authorizationCodeLifetime)),
                                ("refreshTokenReuseInterval", .int(refreshTokenReuseInterval)), ("refreshTokenInactivity", .int(refreshTokenInactivity)),
                                ("connectJwtLeeway", .int(connectJwtLeeway)), ("connectJwtLifetime", .int(connectJwtLifetime)),
                                ("impersonationTokenLifetime", .int(impersonationTokenLifetime)), ("forgeAppTokenLifetime", .int(forgeAppTokenLifetime)),
                                ("forgeInvocationTokenLifetime", .int(forgeInvocationTokenLifetime)),
                                ("serviceAccountTokenLifetime", .int(serviceAccountTokenLifetime))]))
        }
    }

    /// Basic-auth behaviour.
    public struct BasicAuthSettings: Sendable, Equatable {
        /// After this many failures in a row a user is locked behind a CAPTCHA until a reset; `nil` never.
        public var captchaAfterFailures: Int?

        public init(captchaAfterFailures: Int? = nil) { self.captchaAfterFailures = captchaAfterFailures }

        static let keys = ["captchaAfterFailures"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            self.init(captchaAfterFailures: object.optional("captchaAfterFailures")?.int(atLeast: 1))
        }

        var json: JSONValue {
            .object(JSONObject(captchaAfterFailures.map { [("captchaAfterFailures", JSONValue.int($0))] } ?? []))
        }
    }

    /// How `/authorize` weighs what the documentation leaves open.
    public struct OAuthSettings: Sendable, Equatable {
        /// Whether an authorize request must carry `audience=api.atlassian.com`. Every documented
        /// example sends it, but Atlassian's newer 3LO page leaves it out and what Cloud does then is
        /// unknown (docs/reference.md §8.11); `false` accepts a request without it (a wrong one is
        /// still refused).
        public var requireAudience: Bool

        public init(requireAudience: Bool = true) { self.requireAudience = requireAudience }

        static let keys = ["requireAudience"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            self.init(requireAudience: object.optional("requireAudience")?.bool ?? true)
        }

        var json: JSONValue { .object(JSONObject([("requireAudience", .bool(requireAudience))])) }
    }

    /// The mock's signing keys, fixed so that every mock started from the scenario signs alike
    /// (replicas behind one address publish one JWKS and accept each other's access tokens). A PEM
    /// for a key wins over the seed; a key with neither is the process's own.
    public struct KeySettings: Sendable, Equatable, Hashable {
        /// Any string: every key not given as a PEM is derived from it (docs/state.md "Fixed keys").
        public var seed: String?
        /// PKCS#8 or PKCS#1 PEM RSA private keys (2048 bits or more), by purpose.
        public var oauth: String?
        public var connectInstall: String?
        public var forge: String?

        public init(seed: String? = nil, oauth: String? = nil, connectInstall: String? = nil, forge: String? = nil) {
            self.seed = seed
            self.oauth = oauth
            self.connectInstall = connectInstall
            self.forge = forge
        }

        /// Whether any key is fixed.
        public var isEmpty: Bool { seed == nil && oauth == nil && connectInstall == nil && forge == nil }

        static let keys = ["seed", "oauth", "connectInstall", "forge"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            func pem(_ key: String) -> String? {
                guard let member = object.optional(key), let text = member.nonEmptyString else { return nil }
                if let problem = SigningKeys.problem(pem: text) { member.report(problem) }
                return text
            }
            self.init(seed: object.optional("seed")?.nonEmptyString, oauth: pem("oauth"), connectInstall: pem("connectInstall"), forge: pem("forge"))
        }

        var json: JSONValue {
            .object(JSONObject([("seed", seed), ("oauth", oauth), ("connectInstall", connectInstall), ("forge", forge)].compactMap { name, value in
                value.map { (name, JSONValue.string($0)) }
            }))
        }

        /// The PEM given for `purpose`, if any.
        func pem(_ purpose: SigningKeys.Purpose) -> String? {
            switch purpose {
            case .oauth: oauth
            case .connectInstall: connectInstall
            case .forge: forge
            }
        }
    }
}
