import AuthMockFormats

/// What a verifier requires of a token's claims. Time is injected: `now` comes from the caller's
/// clock (the mock's scenario clock), never from the system.
public struct JWTClaimChecks: Sendable {
    /// The current time, seconds since 1970-01-01T00:00:00Z.
    public var now: Double
    /// Seconds of clock skew tolerated on `exp`, `nbf` and `iat`.
    public var leeway: Double
    /// Claims that must be present (e.g. `exp`, `qsh`).
    public var requiredClaims: [String]
    /// When set, `iss` must be one of these.
    public var issuers: Set<String>?
    /// When set, `aud` (a string or an array of strings) must contain this.
    public var audience: String?

    public init(now: Double, leeway: Double = 0, requiredClaims: [String] = [], issuers: Set<String>? = nil, audience: String? = nil) {
        self.now = now
        self.leeway = leeway
        self.requiredClaims = requiredClaims
        self.issuers = issuers
        self.audience = audience
    }
}

extension JWT {
    /// Checks registered claims' types, then presence, times, issuer and audience, in that order.
    public func validateClaims(_ checks: JWTClaimChecks) throws(JWTError) {
        try checkClaimTypes()
        for name in checks.requiredClaims where !claims.contains(name) {
            throw JWTError(.missingClaim, "the \"\(name)\" claim is required")
        }
        try checkTimes(checks)
        if let issuers = checks.issuers {
            guard let issuer = claims["iss"]?.stringValue else { throw JWTError(.missingClaim, "the \"iss\" claim is required") }
            guard issuers.contains(issuer) else { throw JWTError(.wrongIssuer, "issuer \"\(issuer)\" is not accepted") }
        }
        if let audience = checks.audience {
            guard claims.contains("aud") else { throw JWTError(.missingClaim, "the \"aud\" claim is required") }
            guard audiences.contains(audience) else { throw JWTError(.wrongAudience, "audience does not include \"\(audience)\"") }
        }
    }

    /// `aud` as a list: one string, or every string of an array.
    public var audiences: [String] {
        switch claims["aud"] {
        case .string(let single): [single]
        case .array(let many): many.compactMap(\.stringValue)
        default: []
        }
    }

    private func checkClaimTypes() throws(JWTError) {
        for name in ["exp", "nbf", "iat"] {
            if let value = claims[name], value.numberValue == nil {
                throw JWTError(.invalidClaim, "\"\(name)\" must be a NumericDate (a number), found \(value.typeName)")
            }
        }
        for name in ["iss", "sub", "jti"] {
            if let value = claims[name], value.stringValue == nil {
                throw JWTError(.invalidClaim, "\"\(name)\" must be a string, found \(value.typeName)")
            }
        }
        if let aud = claims["aud"], aud.stringValue == nil {
            guard let items = aud.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
                throw JWTError(.invalidClaim, "\"aud\" must be a string or an array of strings")
            }
        }
    }

    private func checkTimes(_ checks: JWTClaimChecks) throws(JWTError) {
        // RFC 7519 §4.1.4: the current time must be before `exp`; leeway widens the window.
        if let exp = claims["exp"]?.numberValue, checks.now >= exp + checks.leeway {
            throw JWTError(.expired, "token expired at \(Int(exp)); now is \(Int(checks.now))")
        }
        if let nbf = claims["nbf"]?.numberValue, checks.now + checks.leeway < nbf {
            throw JWTError(.notYetValid, "token is not valid before \(Int(nbf)); now is \(Int(checks.now))")
        }
        if let iat = claims["iat"]?.numberValue, checks.now + checks.leeway < iat {
            throw JWTError(.issuedInFuture, "token was issued at \(Int(iat)), after now (\(Int(checks.now)))")
        }
    }
}
