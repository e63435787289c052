import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP

/// Why a Connect JWT was refused: a short code for `X-Mock-Auth-Failure` and tests, and the
/// sentence the body and the journal carry.
struct ConnectFailure: Error, Equatable {
    /// `malformed-token`, `algorithm`, `missing-claim`, `invalid-claim`, `unknown-issuer`,
    /// `installation-incomplete|disabled|uninstalled`, `bad-signature`, `expired`, `issued-in-future`,
    /// `qsh-mismatch`, `context-qsh`, `unknown-user`, `gateway`, `scope`.
    let code: String
    let message: String
    /// Extra detail for the header, e.g. the canonical request the mock hashed.
    var detail: String? = nil

    var header: String { detail.map { "\(code); \($0)" } ?? code }

    /// The journal's reason: the code, the message and any detail.
    var reason: String { "\(code): \(message)" + (detail.map { " (\($0))" } ?? "") }

    /// Maps a JWT library refusal to the Connect failure it is.
    init(_ error: JWTError) {
        switch error.code {
        case .malformed: code = "malformed-token"
        case .unsupportedAlgorithm, .algorithmNotAllowed: code = "algorithm"
        case .badSignature, .unknownKey: code = "bad-signature"
        case .expired: code = "expired"
        case .notYetValid, .issuedInFuture: code = "issued-in-future"
        case .missingClaim: code = "missing-claim"
        default: code = "invalid-claim"
        }
        message = error.message
    }

    init(code: String, message: String, detail: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
    }
}

extension SiteAuthenticator {
    /// A request signed by a Connect app (docs/reference.md §4.2, §4.3, §4.6): HS256 with the
    /// installation's shared secret, `exp`/`iat` within the leeway, a `qsh` of this very request
    /// relative to the site's base URL (`…/wiki`). It acts as the app's user, or as `sub` when the
    /// app has `ACT_AS_USER`; the route's Connect scope is the gate's.
    func connect(_ token: String, requirement: RouteRequirement, record: inout AuthRecord) -> Verification {
        record.mechanism = .connect
        record.scopesRequired = requirement.connectScope.map { [$0.rawValue] } ?? []
        guard address.door == .site else {
            let failure = ConnectFailure(code: "gateway", message: "Connect JWTs are accepted on the site's base URL, not the API gateway")
            return connectRefusal(failure, record: &record, response: ConfluenceErrors.gateway(.unauthorized, "Unauthorized"))
        }
        let verified: (ConnectInstallationState, JWT)
        switch verifiedConnectToken(token) {
        case .failure(let failure): return connectRefusal(failure, record: &record)
        case .success(let value): verified = value
        }
        let (installation, jwt) = verified
        let app = installation.app
        record.principal = app.key
        record.client = app.key
        record.scopesHeld = app.scopes.map(\.rawValue)
        let scopes = GrantedScopes.connect(app.scopes, app: app.key, signed: true)
        guard let subject = jwt.claims["sub"]?.stringValue, app.scopes.contains(.actAsUser) else {
            return .verified(Principal(caller: .app(key: app.key, permissions: installation.installation.appUser), scopes: scopes))
        }
        guard let user = scenario.user(accountId: subject) else {
            return connectRefusal(ConnectFailure(code: "unknown-user", message: "sub \(subject) is not a user of this site"), record: &record)
        }
        record.reason = "acting as user \(user.accountId) (ACT_AS_USER)"
        return .verified(Principal(caller: .user(user), scopes: scopes))
    }

    /// Decodes and checks a Connect JWT in Atlassian's order: format, algorithm, issuer,
    /// signature, times, query-string hash.
    private func verifiedConnectToken(_ token: String) -> Result<(ConnectInstallationState, JWT), ConnectFailure> {
        let jwt: JWT
        do {
            jwt = try JWT.decode(token)
            guard jwt.algorithmName == JWTAlgorithm.hs256.rawValue else {
                return .failure(ConnectFailure(code: "algorithm", message: "Connect JWTs are signed HS256; this one says \(jwt.algorithmName)"))
            }
        } catch {
            return .failure(ConnectFailure(error))
        }
        guard let issuer = jwt.claims["iss"]?.stringValue else {
            return .failure(ConnectFailure(code: "missing-claim", message: "the \"iss\" claim is required"))
        }
        guard let installation = snapshot.connectInstallation(issuer: issuer, site: address.site.name) else {
            return .failure(ConnectFailure(code: "unknown-issuer", message: "no Connect app or client key \"\(issuer)\" is installed on site \(address.site.name)"))
        }
        guard installation.status == .installed else {
            return .failure(ConnectFailure(code: "installation-\(installation.status.rawValue)",
                                           message: "the installation of \(installation.app.key) on \(address.site.name) is \(installation.status.rawValue)"))
        }
        do {
            try jwt.verifySignature(using: HMACKey(secret: installation.sharedSecret), allowing: [.hs256])
            try jwt.validateClaims(JWTClaimChecks(now: snapshot.now, leeway: Double(scenario.tokens.connectJwtLeeway), requiredClaims: ["exp", "iat", "qsh"]))
        } catch {
            return .failure(ConnectFailure(error))
        }
        if let failure = checkQueryStringHash(jwt) { return .failure(failure) }
        return .success((installation, jwt))
    }

    /// `qsh` must hash this request with its path relative to the site's base URL, `…/wiki`.
    /// `context-qsh` belongs to tokens from `AP.context.getToken`, which REST routes refuse.
    private func checkQueryStringHash(_ jwt: JWT) -> ConnectFailure? {
        guard let presented = jwt.claims["qsh"]?.stringValue else { return ConnectFailure(code: "invalid-claim", message: "\"qsh\" must be a string") }
        if presented == "context-qsh" {
            return ConnectFailure(code: "context-qsh", message: "a context JWT (qsh \"context-qsh\") cannot call REST APIs; sign the request with its own qsh")
        }
        let pairs = request.query.map { ($0.name, $0.value) }
        let expected = QueryStringHash.hash(method: request.method, path: address.rawPath, pairs: pairs, basePath: "/wiki")
        guard presented != expected else { return nil }
        let canonical = QueryStringHash.canonicalRequest(method: request.method, path: address.rawPath, pairs: pairs, basePath: "/wiki")
        return ConnectFailure(code: "qsh-mismatch", message: "Expecting claim 'qsh' to have value '\(expected)' but instead it has the value '\(presented)'",
                              detail: "canonical-request=\"\(canonical)\"")
    }

    /// Refuses a Connect credential: the journal says which check failed, the answer is `connectAnswer`'s.
    func connectRefusal(_ failure: ConnectFailure, record: inout AuthRecord, response gatewayResponse: HTTPResponse? = nil) -> Verification {
        record.deny(failure.reason)
        return .refused(Self.connectAnswer(failure, address: address, gatewayResponse: gatewayResponse))
    }

    /// 401 (403 for a scope) in the route's error shape, naming the failed check in
    /// `X-Mock-Auth-Failure` (docs/fidelity.md: Confluence's own bodies are not documented);
    /// `gatewayResponse` replaces the body at the gateway.
    static func connectAnswer(_ failure: ConnectFailure, address: SiteAddress, status: HTTPStatus = .unauthorized,
                              gatewayResponse: HTTPResponse? = nil) -> HTTPResponse {
        var response = gatewayResponse ?? (APISurface.of(sitePath: address.path) == .v2
            ? ConfluenceErrors.v2(status, code: status == .forbidden ? "FORBIDDEN" : "UNAUTHORIZED", title: status == .forbidden ? "Forbidden" : "Unauthorized",
                                  detail: failure.message)
            : ConfluenceErrors.v1(status, failure.message))
        if status == .unauthorized && gatewayResponse == nil { response.headers.set("WWW-Authenticate", "JWT realm=\"\(address.site.url)/wiki\"") }
        response.headers.set("X-Mock-Auth-Failure", failure.header)
        return response
    }
}
