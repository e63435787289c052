import AuthMockFormats

extension Scenario {
    /// A route with a fixed answer, added by the scenario: a path the mock does not know, or one
    /// it serves, whose answer it replaces (the credentials and scope gate still apply).
    public struct CustomResource: Sendable, Equatable {
        /// The catalog operation it answers (docs/catalog.md), by `operationId` (`getPageById`) or,
        /// for an id both APIs have, API and id (`v1 getSpaces`); `method` and `path` are then the
        /// operation's, and so are the scopes and Connect scope unless the resource gives its own.
        public var operation: String?
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

        static let keys = ["operation", "method", "path", "classicScopes", "granularScopes", "connectScope", "space", "permission", "response"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            let operation = object.optional("operation").flatMap(Self.operation)
            if object.has("operation") && (object.has("method") || object.has("path")) {
                node.report("give \"operation\" or \"method\" and \"path\", not both")
            }
            let method = object.has("operation") ? operation?.method : object.required("method")?.nonEmptyString?.uppercased()
            let path = object.has("operation") ? operation?.path : object.required("path")?.routePattern
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
            self.operation = operation?.key
        }

        /// The catalog operation a name means: an `operationId` one API has, or `v1 id`/`v2 id`.
        private static func operation(_ node: JSONNode) -> OperationCatalog.Operation? {
            guard let name = node.nonEmptyString else { return nil }
            let catalog = OperationCatalog.shared
            if let exact = catalog.operation(key: name) { return exact }
            let matches = catalog.operations.filter { $0.operationId == name }
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 {
                node.report("operation \"\(name)\" is in both REST APIs: write \(matches.map { "\"\($0.key)\"" }.joined(separator: " or "))")
                return nil
            }
            let suggestion = closestMatch(to: name, in: catalog.operations.map(\.operationId)).map { " (did you mean \"\($0)\"?)" } ?? ""
            node.report("unknown operation \"\(name)\"\(suggestion); expected an operationId of docs/catalog.md")
            return nil
        }

        /// What the route demands: the resource's own scopes, else its operation's.
        var requirement: RouteRequirement {
            if let key = operation, classicScopes.isEmpty, granularScopes.isEmpty, connectScope == nil,
               var inherited = OperationCatalog.shared.operation(key: key)?.requirement {
                inherited.permission = permission
                inherited.siteAdmin = false
                return inherited
            }
            return RouteRequirement(classicScopes: classicScopes, granularScopes: granularScopes, connectScope: connectScope, permission: permission)
        }

        var json: JSONValue {
            var object = operation.map { JSONObject([("operation", .string($0))]) } ?? JSONObject([("method", .string(method)), ("path", .string(path))])
            object["classicScopes"] = .array(classicScopes.map { .string($0) })
            object["granularScopes"] = .array(granularScopes.map { .string($0) })
            if let connectScope { object["connectScope"] = .string(connectScope.rawValue) }
            if let space { object["space"] = .string(space) }
            if let permission { object["permission"] = .string(permission.rawValue) }
            object["response"] = response.jsonValue
            return .object(object)
        }
    }
}
