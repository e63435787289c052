import AuthMockFormats

extension Scenario {
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
}
