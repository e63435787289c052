import AuthMockCrypto
import AuthMockFormats

/// What the mock can tell of a token (`POST /__admin/tokens/inspect`): its kind, its decoded header
/// and claims, whether the mock's keys verify it, and where it stands in the mock's store.
struct TokenInspection {
    enum Kind: String {
        case oauth, serviceAccount = "service-account", connect, impersonation
        case forgeInvocation = "forge-invocation", forgeApp = "forge-app", unknown
    }

    enum Signature: String {
        /// `unknownKey`: signed with a key the mock does not hold (another `kid`, an app's secret it
        /// does not know); `none`: not signed at all, or not a JWT.
        case valid, invalid, unknownKey = "unknown-key", none
    }

    enum Status: String {
        /// `rotated`: a refresh token already exchanged for a new one (it may still be inside the
        /// reuse interval); `unknown`: never issued here, or forgotten (pruned long ago, a reset).
        case active, expired, revoked, rotated, unknown
    }

    var kind = Kind.unknown
    var header = JSONObject()
    var claims = JSONObject()
    var signature = Signature.none
    var status = Status.unknown
    /// Scenario-clock seconds since 1970.
    var expiresAt: Double?
    var family: String?

    var json: JSONValue {
        .object(JSONObject([
            ("kind", .string(kind.rawValue)), ("header", .object(header)), ("claims", .object(claims)),
            ("signature", .string(signature.rawValue)), ("status", .string(status.rawValue)),
            ("expiresAt", expiresAt.map { .string(ISO8601.format($0)) } ?? .null), ("family", family.map { .string($0) } ?? .null),
        ]))
    }
}

/// Inspects tokens against one mock's keys, scenario, store and clock.
struct TokenInspector {
    let state: MockState

    func inspect(_ token: String) -> TokenInspection {
        let snapshot = state.snapshot(bearer: nil)
        let stored = state.withTokens { $0.inspect(token, now: snapshot.now) }
        var inspection = TokenInspection()
        if let jwt = try? JWT.decode(token) {
            inspection.header = jwt.header
            inspection.claims = jwt.claims
            classify(jwt, snapshot: snapshot, into: &inspection)
        }
        apply(stored, snapshot: snapshot, to: &inspection)
        return inspection
    }

    /// A JWT's kind, by its issuer and algorithm, and whether the key for that kind verifies it.
    private func classify(_ jwt: JWT, snapshot: StateSnapshot, into inspection: inout TokenInspection) {
        let issuer = jwt.claims["iss"]?.stringValue ?? ""
        let keys = snapshot.keys
        switch issuer {
        case "forge/invocation-token", "forge/app-token":
            inspection.kind = issuer == "forge/app-token" ? .forgeApp : .forgeInvocation
            inspection.signature = Self.check(jwt, [keys[.forge].verificationKey])
        case TokenSigning.issuer:
            let subject = jwt.claims["sub"]?.stringValue ?? ""
            inspection.kind = snapshot.scenario.serviceAccount(subject) == nil ? .oauth : .serviceAccount
            inspection.signature = Self.check(jwt, [keys[.oauth].verificationKey])
        default:
            if jwt.algorithmName == JWTAlgorithm.hs256.rawValue {
                // A Connect JWT names its app (to Confluence) or its installation (to the app) as `iss`.
                inspection.kind = .connect
                let secrets = snapshot.connectInstallations.filter { $0.app.key == issuer || $0.installation.clientKey == issuer }.map(\.sharedSecret)
                inspection.signature = secrets.isEmpty ? .unknownKey : Self.check(jwt, secrets.map { HMACKey(secret: $0) })
            } else {
                inspection.signature = Self.check(jwt, [keys[.oauth].verificationKey, keys[.forge].verificationKey])
            }
        }
        inspection.expiresAt = jwt.claims["exp"]?.numberValue
        if let expiresAt = inspection.expiresAt { inspection.status = snapshot.now < expiresAt ? .active : .expired }
    }

    /// What the store says wins over the claims: a stored token's grant, family and revocation.
    private func apply(_ stored: StoredToken, snapshot: StateSnapshot, to inspection: inout TokenInspection) {
        switch stored {
        case .access(let status, let family):
            guard let grant = status.storedGrant else { return }
            inspection.status = if case .valid = status { .active } else { .expired }
            inspection.expiresAt = grant.expiresAt
            inspection.family = family
            if grant.isImpersonation { inspection.kind = .impersonation }
        case .revoked(let grant):
            inspection.status = .revoked
            inspection.expiresAt = grant.expiresAt
            if grant.isImpersonation { inspection.kind = .impersonation }
        case .refresh(let grant):
            inspection.kind = snapshot.scenario.serviceAccount(grant.terms.accountId) == nil ? .oauth : .serviceAccount
            inspection.status = grant.rotatedAt == nil ? .active : .rotated
            inspection.family = grant.family
        case .none:
            // A signed token the store never held (a Connect JWT, a FIT) keeps the status its `exp` gives;
            // one the mock should hold but does not is unknown to it.
            if [.oauth, .serviceAccount, .forgeApp].contains(inspection.kind) { inspection.status = .unknown }
        }
    }

    /// Verifies against `keys`: valid, invalid, a key the mock does not hold, or no signature at all.
    private static func check(_ jwt: JWT, _ keys: [any JWTVerificationKey]) -> TokenInspection.Signature {
        do {
            try jwt.verifySignature(using: keys, allowing: [.rs256, .hs256])
            return .valid
        } catch {
            switch error.code {
            case .unknownKey, .algorithmNotAllowed: return .unknownKey
            case .unsupportedAlgorithm: return jwt.algorithmName.lowercased() == "none" ? .none : .invalid
            default: return .invalid
            }
        }
    }
}
