import AuthMockCrypto
import AuthMockFormats

/// Which app token: the app acting as itself, or on behalf of a user.
public enum ForgeTokenKind: String, Sendable, Equatable, CaseIterable {
    case system, user
}

/// A Forge app token to mint: `POST /__admin/forge/tokens` and ``MockConfluence/forgeToken(_:)``.
public struct ForgeTokenRequest: Sendable, Equatable {
    /// App id (`ari:cloud:ecosystem::app/…`).
    public var app: String
    public var site: String
    public var kind: ForgeTokenKind
    /// Account id or email; required for a user token.
    public var user: String?

    public init(app: String, site: String, kind: ForgeTokenKind, user: String? = nil) {
        self.app = app
        self.site = site
        self.kind = kind
        self.user = user
    }

    static let keys = ["app", "site", "kind", "user"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        let app = object.required("app")?.nonEmptyString
        let site = object.required("site")?.nonEmptyString
        let kind = object.required("kind")?.oneOf(ForgeTokenKind.self, "token kind")
        let user = object.optional("user")?.nonEmptyString
        guard let app, let site, let kind else { return nil }
        self.init(app: app, site: site, kind: kind, user: user)
    }
}

/// A minted app token and its lifetime.
public struct ForgeToken: Sendable, Equatable {
    public let token: String
    public let expiresIn: Int
}

/// A Forge app installed on a site, found by app id and site name.
struct ForgeTarget {
    let app: ForgeApp
    let installation: ForgeInstallation
    let site: Site
}

/// Forge app and invocation tokens (a feature over the state's token store). Made for one call with
/// the one scenario value it reads throughout.
struct ForgeTokens {
    let state: MockState
    let scenario: Scenario
    let now: Double
    let keys: SigningKeys

    init(state: MockState) {
        let snapshot = state.snapshot(bearer: nil)
        self.state = state
        scenario = snapshot.scenario
        now = snapshot.now
        keys = snapshot.keys
    }

    /// The app's installation on the site, or the issues that say why there is none.
    func forgeTarget(app: String, site: String) -> Result<ForgeTarget, TokenRequestError> {
        guard let forgeApp = scenario.forgeApps.first(where: { $0.id == app }) else {
            return .failure(TokenRequestError(issues: [ScenarioIssue(path: "app", message: "unknown Forge app \"\(app)\"")]))
        }
        guard let installation = forgeApp.installations.first(where: { $0.site == site }), let target = scenario.sites.first(where: { $0.name == site }) else {
            return .failure(TokenRequestError(issues: [ScenarioIssue(path: "site", message: "\(app) is not installed on site \"\(site)\"")]))
        }
        return .success(ForgeTarget(app: forgeApp, installation: installation, site: target))
    }

    /// Mints an app token (docs/reference.md §5.2): a JWT the gateway accepts for the installation's site,
    /// within the manifest's scopes, as the app (system) or as the user (user).
    func mint(_ request: ForgeTokenRequest) -> Result<ForgeToken, TokenRequestError> {
        let target: ForgeTarget
        switch forgeTarget(app: request.app, site: request.site) {
        case .failure(let error): return .failure(error)
        case .success(let found): target = found
        }
        var issues: [ScenarioIssue] = []
        let enabled = request.kind == .system ? target.app.appSystemToken : target.app.appUserToken
        if !enabled { issues.append(ScenarioIssue(path: "kind", message: "the app does not enable app\(request.kind == .system ? "System" : "User")Token")) }
        let user = request.user.flatMap { scenario.user($0) }
        if request.kind == .user && user == nil {
            issues.append(ScenarioIssue(path: "user", message: request.user.map { "unknown user \"\($0)\"" } ?? "a user token needs \"user\""))
        }
        guard issues.isEmpty else { return .failure(TokenRequestError(issues: issues)) }
        return appToken(target, kind: request.kind, user: user)
    }

    /// Signs and stores an app token for an installation already found and checked.
    func appToken(_ target: ForgeTarget, kind: ForgeTokenKind, user: User?) -> Result<ForgeToken, TokenRequestError> {
        let lifetime = scenario.tokens.forgeAppTokenLifetime
        let grant = AccessGrant(GrantTerms(accountId: user?.accountId ?? "", clientId: target.app.id, scopes: target.app.scopes, sites: [target.site.name]),
                                issuedAt: now, expiresAt: now + Double(lifetime),
                                forge: ForgeGrant(appId: target.app.id, installationId: target.installation.id, kind: kind))
        let claims = JSONObject([("iss", "forge/app-token"), ("sub", .string(user?.accountId ?? target.app.id)), ("aud", "api.atlassian.com"),
                                 ("iat", .int(Int(now))), ("exp", .int(Int(now) + lifetime)), ("jti", .string(randomUUID())),
                                 ("app", .string(target.app.id)), ("installationId", .string(target.installation.id)), ("kind", .string(kind.rawValue))])
        do {
            let token = try JWT.encode(claims: claims, key: keys[.forge])
            state.withTokens { $0.issue(grant, token: token) }
            return .success(ForgeToken(token: token, expiresIn: lifetime))
        } catch {
            return .failure(TokenRequestError(issues: [ScenarioIssue(path: "", message: "signing failed: \(error)")]))
        }
    }

    /// A Forge invocation token (docs/reference.md §5.1) for a call to `target`'s remote, invoked
    /// by `module` when one is named. The cloud-2026 profile writes the environment id as an ARI,
    /// leaves out the deprecated `app.version` and names the module instance in `context.localId`
    /// (§8.7); cloud-2021 keeps the earlier claims.
    func forgeInvocationToken(_ target: ForgeTarget, moduleKey: String, module: String?, principal: User?, mockOrigin: String) throws -> String {
        let now = Int(self.now), current = scenario.profile == .cloud2026
        let apiBaseUrl = "\(mockOrigin)/ex/confluence/\(target.site.cloudId)"
        let environmentId = current ? "ari:cloud:ecosystem::environment/\(target.app.environmentId)" : target.app.environmentId
        var app = JSONObject([
            ("id", .string(target.app.id)), ("appVersion", "1.0.0"), ("installationId", .string(target.installation.id)),
            ("apiBaseUrl", .string(apiBaseUrl)),
            ("environment", .object(JSONObject([("type", .string(target.app.environmentType.rawValue)), ("id", .string(environmentId))]))),
            ("module", .object(JSONObject([("type", "core:endpoint"), ("key", .string(moduleKey))]))),
            ("installation", .object(JSONObject([("id", .string(target.installation.id)),
                                                 ("contexts", .array([.object(JSONObject([("name", .string("ari:cloud:confluence::site/\(target.site.cloudId)")),
                                                                                          ("apiBaseUrl", .string(apiBaseUrl))]))]))]))),
        ])
        if !current { app["version"] = "1" }
        var context = JSONObject([("cloudId", .string(target.site.cloudId)), ("siteUrl", .string(target.site.url)), ("moduleKey", .string(moduleKey))])
        if current, let module {
            context["localId"] = .string(ForgeInvocationRequest.localId(app: target.app.id, environmentId: target.app.environmentId, module: module))
        }
        var claims = JSONObject([("app", .object(app)), ("context", .object(context))])
        if let principal { claims["principal"] = .string(principal.accountId) }
        for (name, value) in [("aud", JSONValue.string(target.app.id)), ("iss", "forge/invocation-token"), ("iat", .int(now)), ("nbf", .int(now)),
                              ("exp", .int(now + scenario.tokens.forgeInvocationTokenLifetime)), ("jti", .string(randomUUID()))] {
            claims[name] = value
        }
        return try JWT.encode(claims: claims, key: keys[.forge])
    }
}
