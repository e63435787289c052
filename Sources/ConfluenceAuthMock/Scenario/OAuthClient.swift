import AuthMockFormats

extension Scenario {
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
}
