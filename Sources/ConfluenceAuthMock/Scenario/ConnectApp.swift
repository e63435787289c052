import AuthMockFormats

extension Scenario {
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
            let appUser = object.optional("appUser")?.object(keys: ["spaces"]).flatMap { $0.optional("spaces").flatMap(spacePermissions) ?? [:] }
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
}
