import AuthMockFormats

extension Scenario {
    /// A space permission. Each is separate: `admin` does not imply `view`.
    public enum SpacePermission: String, Sendable, Equatable, CaseIterable {
        case view, edit, delete, admin
    }

    /// Space permissions by space key.
    public typealias SpacePermissions = [String: [SpacePermission]]

    /// A person who can sign in.
    public struct User: Sendable, Equatable {
        public var accountId: String
        public var email: String
        public var displayName: String
        public var apiTokens: [APIToken]
        /// A password, which Confluence Cloud refuses for REST (basic auth with passwords is deprecated).
        public var password: String?
        /// Per site name: the user's space permissions there.
        public var sites: [String: SpacePermissions]
        /// The sites (by name) the user administers (`"siteAdmin": true` in the user's access to
        /// the site): what the catalog's `site-admin` operations need.
        public var adminSites: [String] = []
        /// Set on the user record a service account acts as (`accountType` `app`).
        var isServiceAccount = false

        public init(accountId: String, email: String, displayName: String, apiTokens: [APIToken] = [],
                    password: String? = nil, sites: [String: SpacePermissions] = [:]) {
            self.accountId = accountId
            self.email = email
            self.displayName = displayName
            self.apiTokens = apiTokens
            self.password = password
            self.sites = sites
        }

        static let keys = ["accountId", "email", "displayName", "apiTokens", "password", "sites"]
        /// The keys of one site's access (`{"spaces": {…}}`).
        static let siteAccessKeys = ["spaces", "siteAdmin"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            let accountId = object.required("accountId")?.nonEmptyString
            let email = object.required("email")?.email
            let displayName = object.required("displayName")?.nonEmptyString
            let tokens = object.optional("apiTokens")?.array(APIToken.init) ?? []
            let password = object.optional("password")?.nonEmptyString
            let access = object.optional("sites").flatMap(siteAccess)
            guard let accountId, let email, let displayName else { return nil }
            self.init(accountId: accountId, email: email, displayName: displayName, apiTokens: tokens, password: password, sites: access?.spaces ?? [:])
            adminSites = access?.adminSites ?? []
        }

        var json: JSONValue {
            var object = JSONObject([("accountId", .string(accountId)), ("email", .string(email)), ("displayName", .string(displayName)),
                                     ("apiTokens", .array(apiTokens.map(\.json)))])
            if let password { object["password"] = .string(password) }
            object["sites"] = siteAccessJSON(sites, adminSites: adminSites)
            return .object(object)
        }
    }

    /// An API token: unscoped (works on the site and the gateway) or scoped (gateway only).
    public struct APIToken: Sendable, Equatable {
        public var token: String
        /// `nil` for a classic unscoped token; the granted scopes for a scoped one.
        public var scopes: [String]?

        public init(token: String, scopes: [String]? = nil) {
            self.token = token
            self.scopes = scopes
        }

        static let keys = ["token", "scopes"]

        /// A token is a bare string, or `{"token": …, "scopes": […]}`.
        init?(_ node: JSONNode) {
            if case .string = node.value {
                guard let token = node.nonEmptyString else { return nil }
                self.init(token: token)
                return
            }
            guard node.value.objectValue != nil else {
                node.report("expected a token string or an object with \"token\" and \"scopes\", found \(node.value.typeName)")
                return nil
            }
            guard let object = node.object(keys: Self.keys) else { return nil }
            let token = object.required("token")?.nonEmptyString
            let scopes = object.required("scopes")?.array { $0.scope }
            guard let token, let scopes else { return nil }
            self.init(token: token, scopes: scopes)
        }

        var json: JSONValue {
            guard let scopes else { return .string(token) }
            return .object(JSONObject([("token", .string(token)), ("scopes", .array(scopes.map { .string($0) }))]))
        }
    }
}

/// `{"acme": {"spaces": {…}, "siteAdmin": true}, …}`: per site name, the space permissions there,
/// and the sites administered, read in one pass.
func siteAccess(_ node: JSONNode) -> (spaces: [String: SpacePermissions], adminSites: [String])? {
    guard let members = node.map else { return nil }
    var spaces: [String: SpacePermissions] = [:], admin: [String] = []
    for member in members {
        guard let access = member.node.object(keys: Scenario.User.siteAccessKeys) else { continue }
        spaces[member.key] = access.optional("spaces").flatMap(spacePermissions) ?? [:]
        if access.optional("siteAdmin")?.bool == true { admin.append(member.key) }
    }
    return (spaces, admin.sorted())
}

func siteAccessJSON(_ sites: [String: SpacePermissions], adminSites: [String] = []) -> JSONValue {
    .object(JSONObject(sites.keys.sorted().map { name in
        var access = JSONObject([("spaces", spacePermissionsJSON(sites[name] ?? [:]))])
        if adminSites.contains(name) { access["siteAdmin"] = true }
        return (name, JSONValue.object(access))
    }))
}

/// `{"ENG": ["view", "edit"], …}`.
func spacePermissions(_ node: JSONNode) -> SpacePermissions? {
    node.map?.reduce(into: SpacePermissions()) { result, member in
        result[member.key] = member.node.array { $0.oneOf(SpacePermission.self, "permission") } ?? []
    }
}

func spacePermissionsJSON(_ permissions: SpacePermissions) -> JSONValue {
    .object(JSONObject(permissions.keys.sorted().map { ($0, .array(permissions[$0]!.map { .string($0.rawValue) })) }))
}

extension JSONNode {
    var email: String? {
        guard let text = nonEmptyString else { return nil }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !text.contains(" ") else {
            report("\"\(text)\" is not an email address")
            return nil
        }
        return text
    }
}
