import AuthMockFormats

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
    public var accessTokenLifetime = 3600
    public var authorizationCodeLifetime = 600
    /// How long a rotated refresh token may still be used (Atlassian: 10 minutes).
    public var refreshTokenReuseInterval = 600
    /// A refresh token unused this long expires (Atlassian: 90 days).
    public var refreshTokenInactivity = 7_776_000
    /// Clock skew tolerated on Connect JWTs' `exp` and `iat`.
    public var connectJwtLeeway = 30

    public init() {}

    static let keys = ["accessTokenLifetime", "authorizationCodeLifetime", "refreshTokenReuseInterval", "refreshTokenInactivity", "connectJwtLeeway"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        self.init()
        accessTokenLifetime = object.optional("accessTokenLifetime")?.int(atLeast: 1) ?? accessTokenLifetime
        authorizationCodeLifetime = object.optional("authorizationCodeLifetime")?.int(atLeast: 1) ?? authorizationCodeLifetime
        refreshTokenReuseInterval = object.optional("refreshTokenReuseInterval")?.int(atLeast: 0) ?? refreshTokenReuseInterval
        refreshTokenInactivity = object.optional("refreshTokenInactivity")?.int(atLeast: 1) ?? refreshTokenInactivity
        connectJwtLeeway = object.optional("connectJwtLeeway")?.int(atLeast: 0) ?? connectJwtLeeway
    }

    var json: JSONValue {
        .object(JSONObject([("accessTokenLifetime", .int(accessTokenLifetime)), ("authorizationCodeLifetime", .int(authorizationCodeLifetime)),
                            ("refreshTokenReuseInterval", .int(refreshTokenReuseInterval)), ("refreshTokenInactivity", .int(refreshTokenInactivity)),
                            ("connectJwtLeeway", .int(connectJwtLeeway))]))
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
