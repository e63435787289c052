import AuthMockFormats

extension Scenario {
    /// A protected route the mock does not know, added by the scenario.
    public struct CustomResource: Sendable, Equatable {
        public var method: String
        /// A route pattern (`/wiki/rest/api/custom/{id}`).
        public var path: String
        public var classicScopes: [String]
        public var granularScopes: [String]
        public var connectScope: ConnectScope?
        /// The space whose `permission` the caller needs.
        public var space: String?
        public var permission: SpacePermission?
        public var response: CannedResponse

        public init(method: String, path: String, classicScopes: [String] = [], granularScopes: [String] = [], connectScope: ConnectScope? = nil,
                    space: String? = nil, permission: SpacePermission? = nil, response: CannedResponse) {
            self.method = method
            self.path = path
            self.classicScopes = classicScopes
            self.granularScopes = granularScopes
            self.connectScope = connectScope
            self.space = space
            self.permission = permission
            self.response = response
        }

        static let keys = ["method", "path", "classicScopes", "granularScopes", "connectScope", "space", "permission", "response"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            let method = object.required("method")?.nonEmptyString?.uppercased()
            let path = object.required("path")?.routePattern
            let classic = object.optional("classicScopes")?.array { $0.scope } ?? []
            let granular: [String] = object.optional("granularScopes")?.array { $0.granularScope } ?? []
            let connect = object.optional("connectScope")?.oneOf(ConnectScope.self, "Connect scope")
            let space = object.optional("space")?.nonEmptyString
            let permission = object.optional("permission")?.oneOf(SpacePermission.self, "permission")
            if object.has("space") != object.has("permission") { node.report("\"space\" and \"permission\" go together") }
            let response = object.required("response").flatMap(CannedResponse.init)
            guard let method, let path, let response else { return nil }
            self.init(method: method, path: path, classicScopes: classic, granularScopes: granular, connectScope: connect,
                      space: space, permission: permission, response: response)
        }

        var json: JSONValue {
            var object = JSONObject([("method", .string(method)), ("path", .string(path)),
                                     ("classicScopes", .array(classicScopes.map { .string($0) })),
                                     ("granularScopes", .array(granularScopes.map { .string($0) }))])
            if let connectScope { object["connectScope"] = .string(connectScope.rawValue) }
            if let space { object["space"] = .string(space) }
            if let permission { object["permission"] = .string(permission.rawValue) }
            object["response"] = response.jsonValue
            return .object(object)
        }
    }
}
