import AuthMockCrypto
import AuthMockFormats

/// A JWT as Confluence sends it to a Connect app (docs/reference.md §4.2), for testing an app's validator:
/// `POST /__admin/connect/jwt` and ``MockConfluence/connectJWT(_:)``.
public struct ProductJWTRequest: Sendable, Equatable {
    /// App key.
    public var app: String
    /// Site name.
    public var site: String
    /// Account id or email of the user the request is for (`sub`); `nil` for none.
    public var user: String?
    /// The request's method and URL (absolute under the app's `baseUrl`, or a path relative to it)
    /// for a request `qsh`; ignored when `context` is set.
    public var method: String
    public var url: String?
    /// A context token (`qsh` = `context-qsh`), as `AP.context.getToken` returns.
    public var context: Bool
    /// Seconds until `exp`; `nil` for the scenario's `tokens.connectJwtLifetime` (default 180).
    public var ttl: Int?

    public init(app: String, site: String, user: String? = nil, method: String = "GET", url: String? = nil, context: Bool = false, ttl: Int? = nil) {
        self.app = app
        self.site = site
        self.user = user
        self.method = method
        self.url = url
        self.context = context
        self.ttl = ttl
    }

    static let keys = ["app", "site", "user", "method", "url", "context", "ttl"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        let app = object.required("app")?.nonEmptyString
        let site = object.required("site")?.nonEmptyString
        let user = object.optional("user")?.nonEmptyString
        let method = object.optional("method")?.nonEmptyString ?? "GET"
        let context = object.optional("context")?.bool ?? false
        let url = context ? object.optional("url")?.string : object.required("url")?.nonEmptyString
        let ttl = object.optional("ttl")?.seconds(atLeast: 1)
        guard let app, let site else { return nil }
        self.init(app: app, site: site, user: user, method: method.uppercased(), url: url, context: context, ttl: ttl)
    }
}

/// Product-to-app JWTs: what Confluence signs when it calls a Connect app (a feature over the
/// state's Connect installations and clock).
struct ProductJWTs {
    let state: MockState

    /// Signs a product-to-app JWT with the installation's current shared secret: `iss` the client
    /// key, `iat`/`exp` on the scenario clock, `qsh` of the request relative to the app's `baseUrl`
    /// (or `context-qsh`), `sub` and `context.user.accountId` for a user.
    func sign(_ request: ProductJWTRequest) -> Result<String, TokenRequestError> {
        // One read of the scenario, the installations and the clock, so they agree.
        let snapshot = state.snapshot(bearer: nil), scenario = snapshot.scenario
        var issues: [ScenarioIssue] = []
        let installation = snapshot.connectInstallation(app: request.app, site: request.site)
        if installation == nil {
            issues.append(ScenarioIssue(path: "app", message: "app \"\(request.app)\" has no installation on site \"\(request.site)\""))
        }
        let user = request.user.flatMap { scenario.user($0) }
        if let name = request.user, user == nil { issues.append(ScenarioIssue(path: "user", message: "unknown user \"\(name)\"")) }
        if let ttl = request.ttl, let refusal = TokenSettings.refusal(seconds: ttl, atLeast: 1) { issues.append(ScenarioIssue(path: "ttl", message: refusal)) }
        var qsh = "context-qsh"
        if !request.context, let installation {
            let url = request.url ?? ""
            if let basePath = Self.appBasePath(for: url, baseUrl: installation.app.baseUrl) {
                qsh = QueryStringHash.hash(method: request.method, url: url, basePath: basePath)
            } else {
                issues.append(ScenarioIssue(path: "url", message: "\(url) is not under the app's baseUrl \(installation.app.baseUrl)"))
            }
        }
        guard let installation, issues.isEmpty else { return .failure(TokenRequestError(issues: issues)) }
        let now = Int(snapshot.now), ttl = request.ttl ?? scenario.tokens.connectJwtLifetime
        var claims = JSONObject([("iss", .string(installation.clientKey)), ("iat", .int(now)), ("exp", .int(now + ttl)), ("qsh", .string(qsh))])
        if let user {
            claims["sub"] = .string(user.accountId)
            claims["context"] = .object(JSONObject([("user", .object(JSONObject([("accountId", .string(user.accountId))])))]))
        }
        do {
            return .success(try JWT.encode(claims: claims, key: HMACKey(secret: installation.sharedSecret)))
        } catch {
            return .failure(TokenRequestError(issues: [ScenarioIssue(path: "", message: "signing failed: \(error)")]))
        }
    }

    /// The base path a request URL's `qsh` is relative to: the path of the app's `baseUrl`. An
    /// absolute URL must lie under `baseUrl` (else `nil`); a relative one is relative to it already.
    static func appBasePath(for url: String, baseUrl: String) -> String? {
        guard url.contains("://") else { return "" }
        let trimmedBase = baseUrl.hasSuffix("/") ? String(baseUrl.dropLast()) : baseUrl
        guard url == trimmedBase || url.hasPrefix(trimmedBase + "/") || url.hasPrefix(trimmedBase + "?") else { return nil }
        return QueryStringHash.path(of: trimmedBase)
    }
}
