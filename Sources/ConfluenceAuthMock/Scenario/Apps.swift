import AuthMockFormats

/// How an OAuth client's authorization requests are decided.
public enum ConsentMode: String, Sendable, Equatable, CaseIterable {
    /// Redirect back with a code at once.
    case approve
    /// Redirect back with `error=access_denied`.
    case deny
    /// Show an HTML consent page (also decidable over the admin API).
    case page
}

/// Who consents, and to which sites, when an OAuth client asks.
public struct Consent: Sendable, Equatable {
    public var mode: ConsentMode
    /// The signed-in user (account id or email).
    public var user: String?
    /// The sites granted (site names); default: every site the user has.
    public var sites: [String]?

    public init(mode: ConsentMode = .approve, user: String? = nil, sites: [String]? = nil) {
        self.mode = mode
        self.user = user
        self.sites = sites
    }

    static let keys = ["mode", "user", "sites"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        let mode = object.optional("mode").map { $0.oneOf(ConsentMode.self, "consent mode") } ?? .approve
        let user = object.optional("user")?.nonEmptyString
        let sites = object.optional("sites")?.strings
        guard let mode else { return nil }
        self.init(mode: mode, user: user, sites: sites)
    }

    var json: JSONValue {
        var object = JSONObject([("mode", .string(mode.rawValue))])
        if let user { object["user"] = .string(user) }
        if let sites { object["sites"] = .array(sites.map { .string($0) }) }
        return .object(object)
    }
}

/// An OAuth 2.0 (3LO) app registered in the developer console.
public struct OAuthClient: Sendable, Equatable {
    public var clientId: String
    public var clientSecret: String
    public var name: String
    public var redirectUris: [String]
    /// Scopes enabled for the app; an authorization request may ask only for these.
    public var scopes: [String]
    public var consent: Consent

    public init(clientId: String, clientSecret: String, name: String, redirectUris: [String], scopes: [String], consent: Consent = Consent()) {
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.name = name
        self.redirectUris = redirectUris
        self.scopes = scopes
        self.consent = consent
    }

    static let keys = ["clientId", "clientSecret", "name", "redirectUris", "scopes", "consent"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        let clientId = object.required("clientId")?.nonEmptyString
        let secret = object.required("clientSecret")?.nonEmptyString
        let name = object.optional("name")?.string
        let redirectsNode = object.required("redirectUris")
        let redirects = redirectsNode?.array { $0.httpURL }
        if redirectsNode?.value.arrayValue?.isEmpty == true { redirectsNode?.report("at least one redirect URI is needed") }
        let scopes = object.required("scopes")?.array { $0.scope }
        let consent = object.optional("consent").map(Consent.init) ?? Consent()
        guard let clientId, let secret, let redirects, let scopes, let consent else { return nil }
        self.init(clientId: clientId, clientSecret: secret, name: name ?? clientId, redirectUris: redirects, scopes: scopes, consent: consent)
    }

    var json: JSONValue {
        .object(JSONObject([("clientId", .string(clientId)), ("clientSecret", .string(clientSecret)), ("name", .string(name)),
                            ("redirectUris", .array(redirectUris.map { .string($0) })), ("scopes", .array(scopes.map { .string($0) })),
                            ("consent", consent.json)]))
    }
}

/// An Atlassian Connect app and its installations.
public struct ConnectApp: Sendable, Equatable {
    public var key: String
    public var name: String
    public var baseUrl: String
    public var scopes: [ConnectScope]
    /// Lifecycle paths relative to `baseUrl`, by event (`installed`, `uninstalled`, `enabled`, `disabled`).
    public var lifecycle: [String: String]
    public var installations: [ConnectInstallation]

    public init(key: String, name: String, baseUrl: String, scopes: [ConnectScope], lifecycle: [String: String] = [:],
                installations: [ConnectInstallation] = []) {
        self.key = key
        self.name = name
        self.baseUrl = baseUrl
        self.scopes = scopes
        self.lifecycle = lifecycle
        self.installations = installations
    }

    static let keys = ["key", "name", "baseUrl", "scopes", "lifecycle", "installations"]
    static let lifecycleEvents = ["installed", "uninstalled", "enabled", "disabled"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        let key = object.required("key")?.nonEmptyString
        let name = object.optional("name")?.string
        let baseUrl = object.required("baseUrl")?.httpURL
        let scopes = object.optional("scopes")?.array { $0.oneOf(ConnectScope.self, "Connect scope") } ?? []
        var lifecycle: [String: String] = [:]
        if let events = object.optional("lifecycle")?.object(keys: Self.lifecycleEvents) {
            for event in Self.lifecycleEvents { lifecycle[event] = events.optional(event)?.relativePath }
        }
        let installations = object.optional("installations")?.array(ConnectInstallation.init) ?? []
        guard let key, let baseUrl else { return nil }
        self.init(key: key, name: name ?? key, baseUrl: baseUrl, scopes: scopes, lifecycle: lifecycle, installations: installations)
    }

    var json: JSONValue {
        .object(JSONObject([("key", .string(key)), ("name", .string(name)), ("baseUrl", .string(baseUrl)),
                            ("scopes", .array(scopes.map { .string($0.rawValue) })),
                            ("lifecycle", .object(JSONObject(Self.lifecycleEvents.compactMap { event in lifecycle[event].map { (event, JSONValue.string($0)) } }))),
                            ("installations", .array(installations.map(\.json)))]))
    }
}

/// A Connect app installed on one site.
public struct ConnectInstallation: Sendable, Equatable {
    public var site: String
    public var clientKey: String
    /// The HS256 secret shared with the app: at least 32 bytes (RFC 7518 §3.2 for HS256 keys).
    public var sharedSecret: String
    /// The app's OAuth client id, for user impersonation and `client_credentials`.
    public var oauthClientId: String?
    /// The app user's space permissions; `nil` means every permission on every space of the site.
    public var appUser: SpacePermissions?

    public init(site: String, clientKey: String, sharedSecret: String, oauthClientId: String? = nil, appUser: SpacePermissions? = nil) {
        self.site = site
        self.clientKey = clientKey
        self.sharedSecret = sharedSecret
        self.oauthClientId = oauthClientId
        self.appUser = appUser
    }

    static let keys = ["site", "clientKey", "sharedSecret", "oauthClientId", "appUser"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        let site = object.required("site")?.nonEmptyString
        let clientKey = object.required("clientKey")?.nonEmptyString
        let secret = object.required("sharedSecret")?.sharedSecret
        let oauthClientId = object.optional("oauthClientId")?.nonEmptyString
        let appUser = object.optional("appUser")?.object(keys: User.siteAccessKeys).flatMap { $0.optional("spaces").flatMap(spacePermissions) ?? [:] }
        guard let site, let clientKey, let secret else { return nil }
        self.init(site: site, clientKey: clientKey, sharedSecret: secret, oauthClientId: oauthClientId, appUser: appUser)
    }

    var json: JSONValue {
        var object = JSONObject([("site", .string(site)), ("clientKey", .string(clientKey)), ("sharedSecret", .string(sharedSecret))])
        if let oauthClientId { object["oauthClientId"] = .string(oauthClientId) }
        if let appUser { object["appUser"] = .object(JSONObject([("spaces", spacePermissionsJSON(appUser))])) }
        return .object(object)
    }
}

/// A Forge environment type.
public enum ForgeEnvironmentType: String, Sendable, Equatable, CaseIterable {
    case development = "DEVELOPMENT", staging = "STAGING", production = "PRODUCTION"
}

/// A Forge app with remotes and installations.
public struct ForgeApp: Sendable, Equatable {
    /// `ari:cloud:ecosystem::app/<uuid>`.
    public var id: String
    public var name: String
    public var environmentType: ForgeEnvironmentType
    public var environmentId: String
    /// The manifest's `permissions.scopes`.
    public var scopes: [String]
    public var appSystemToken: Bool
    public var appUserToken: Bool
    /// Remote key → base URL.
    public var remotes: [String: String]
    /// Site name → installation id (`ari:cloud:ecosystem::installation/<uuid>`).
    public var installations: [ForgeInstallation]

    public init(id: String, name: String, environmentType: ForgeEnvironmentType = .development, environmentId: String,
                scopes: [String], appSystemToken: Bool = false, appUserToken: Bool = false,
                remotes: [String: String] = [:], installations: [ForgeInstallation] = []) {
        self.id = id
        self.name = name
        self.environmentType = environmentType
        self.environmentId = environmentId
        self.scopes = scopes
        self.appSystemToken = appSystemToken
        self.appUserToken = appUserToken
        self.remotes = remotes
        self.installations = installations
    }

    static let keys = ["id", "name", "environment", "scopes", "appSystemToken", "appUserToken", "remotes", "installations"]
    static let environmentKeys = ["type", "id"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        let id = object.required("id")?.ari("ari:cloud:ecosystem::app/")
        let name = object.optional("name")?.string
        let environment = object.required("environment")?.object(keys: Self.environmentKeys)
        let type = environment?.required("type")?.oneOf(ForgeEnvironmentType.self, "environment type")
        let environmentId = environment?.required("id")?.uuid
        let scopes = object.optional("scopes")?.array { $0.scope } ?? []
        let system = object.optional("appSystemToken")?.bool ?? false
        let user = object.optional("appUserToken")?.bool ?? false
        let remotes = object.optional("remotes")?.map?.reduce(into: [String: String]()) { $0[$1.key] = $1.node.httpURL } ?? [:]
        let installations = object.optional("installations")?.array(ForgeInstallation.init) ?? []
        guard let id, let type, let environmentId else { return nil }
        self.init(id: id, name: name ?? id, environmentType: type, environmentId: environmentId, scopes: scopes,
                  appSystemToken: system, appUserToken: user, remotes: remotes, installations: installations)
    }

    var json: JSONValue {
        .object(JSONObject([("id", .string(id)), ("name", .string(name)),
                            ("environment", JSONValue.object(JSONObject([("type", .string(environmentType.rawValue)), ("id", .string(environmentId))]))),
                            ("scopes", .array(scopes.map { .string($0) })), ("appSystemToken", .bool(appSystemToken)),
                            ("appUserToken", .bool(appUserToken)),
                            ("remotes", .object(JSONObject(remotes.keys.sorted().map { ($0, .string(remotes[$0]!)) }))),
                            ("installations", .array(installations.map(\.json)))]))
    }
}

/// A Forge app installed on one site.
public struct ForgeInstallation: Sendable, Equatable {
    public var site: String
    public var id: String

    public init(site: String, id: String) {
        self.site = site
        self.id = id
    }

    static let keys = ["site", "id"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        let site = object.required("site")?.nonEmptyString
        let id = object.required("id")?.ari("ari:cloud:ecosystem::installation/")
        guard let site, let id else { return nil }
        self.init(site: site, id: id)
    }

    var json: JSONValue { .object(JSONObject([("site", .string(site)), ("id", .string(id))])) }
}

extension JSONNode {
    /// A path relative to an app's base URL: starts with `/`.
    var relativePath: String? {
        guard let text = string else { return nil }
        guard text.hasPrefix("/") else {
            report("\"\(text)\" must be a path starting with /")
            return nil
        }
        return text
    }

    /// A Connect shared secret of at least 32 bytes.
    var sharedSecret: String? {
        guard let text = string else { return nil }
        guard text.utf8.count >= 32 else {
            report("shared secret is \(text.utf8.count) bytes; HS256 needs at least 32 (RFC 7518 §3.2)")
            return nil
        }
        return text
    }
}
