import AuthMockFormats

extension Scenario {
    /// An Atlassian service account (docs/reference.md §8.5): a bot identity, not a person, that
    /// authenticates with scoped API tokens or OAuth 2.0 client credentials, and only through the
    /// API gateway. It acts with its own space permissions, within the scopes of what it presents.
    public struct ServiceAccount: Sendable, Equatable {
        public var accountId: String
        public var displayName: String
        /// `…@serviceaccount.atlassian.com`, as Atlassian assigns them.
        public var email: String
        /// Per site name: the account's space permissions there.
        public var sites: [String: SpacePermissions]
        /// The sites (by name) the account administers (`"siteAdmin": true`).
        public var adminSites: [String] = []
        /// Scoped API tokens: Basic or Bearer through the gateway, refused on a site's own domain.
        public var apiTokens: [APIToken]
        /// OAuth 2.0 client-credentials credentials.
        public var oauthCredentials: [OAuthCredential]

        public init(accountId: String, displayName: String, email: String, sites: [String: SpacePermissions] = [:],
                    apiTokens: [APIToken] = [], oauthCredentials: [OAuthCredential] = []) {
            self.accountId = accountId
            self.displayName = displayName
            self.email = email
            self.sites = sites
            self.apiTokens = apiTokens
            self.oauthCredentials = oauthCredentials
        }

        /// A client id and secret for `grant_type=client_credentials`, with the scopes chosen when
        /// it was created (a token request may ask for fewer).
        public struct OAuthCredential: Sendable, Equatable {
            public var clientId: String
            public var clientSecret: String
            public var scopes: [String]

            public init(clientId: String, clientSecret: String, scopes: [String]) {
                self.clientId = clientId
                self.clientSecret = clientSecret
                self.scopes = scopes
            }

            static let keys = ["clientId", "clientSecret", "scopes"]

            init?(_ node: JSONNode) {
                guard let object = node.object(keys: Self.keys) else { return nil }
                let clientId = object.required("clientId")?.nonEmptyString, secret = object.required("clientSecret")?.nonEmptyString
                let scopesNode = object.required("scopes")
                let scopes = scopesNode?.array { $0.scope }
                if scopes?.isEmpty == true { scopesNode?.report("at least one scope is needed") }
                if scopes?.contains("offline_access") == true { scopesNode?.report("offline_access: a service account's tokens have no refresh token") }
                guard let clientId, let secret, let scopes, !scopes.isEmpty else { return nil }
                self.init(clientId: clientId, clientSecret: secret, scopes: scopes)
            }

            var json: JSONValue {
                .object(JSONObject([("clientId", .string(clientId)), ("clientSecret", .string(clientSecret)), ("scopes", .array(scopes.map { .string($0) }))]))
            }
        }

        static let keys = ["accountId", "displayName", "email", "sites", "apiTokens", "oauthCredentials"]
        static let emailDomain = "@serviceaccount.atlassian.com"

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            let accountId = object.required("accountId")?.nonEmptyString, displayName = object.required("displayName")?.nonEmptyString
            let emailNode = object.required("email")
            var email = emailNode?.email
            if let address = email, !address.lowercased().hasSuffix(Self.emailDomain) {
                emailNode?.report("\"\(address)\" is not a service account's address; expected …\(Self.emailDomain)")
                email = nil
            }
            let tokens = object.optional("apiTokens")?.array(Self.scopedToken) ?? []
            let credentials = object.optional("oauthCredentials")?.array(OAuthCredential.init) ?? []
            let access = object.optional("sites").flatMap(siteAccess)
            guard let accountId, let displayName, let email else { return nil }
            self.init(accountId: accountId, displayName: displayName, email: email, sites: access?.spaces ?? [:], apiTokens: tokens, oauthCredentials: credentials)
            adminSites = access?.adminSites ?? []
        }

        /// A service account's API tokens are always scoped.
        private static func scopedToken(_ node: JSONNode) -> APIToken? {
            guard node.value.objectValue != nil else {
                node.report("expected {\"token\", \"scopes\"}: a service account's API tokens are scoped, found \(node.value.typeName)")
                return nil
            }
            return APIToken(node)
        }

        var json: JSONValue {
            .object(JSONObject([("accountId", .string(accountId)), ("displayName", .string(displayName)), ("email", .string(email)),
                                ("sites", siteAccessJSON(sites, adminSites: adminSites)), ("apiTokens", .array(apiTokens.map(\.json))),
                                ("oauthCredentials", .array(oauthCredentials.map(\.json)))]))
        }

        /// The account as a caller: a user record whose account type is `app`.
        var asUser: User {
            var user = User(accountId: accountId, email: email, displayName: displayName, apiTokens: apiTokens, sites: sites)
            user.adminSites = adminSites
            user.isServiceAccount = true
            return user
        }
    }
}
