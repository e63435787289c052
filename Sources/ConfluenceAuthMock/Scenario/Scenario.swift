import AuthMockFormats

/// Everything a mock serves: sites, users, apps, settings and what goes wrong. Build one in Swift,
/// or load a JSON scenario file; both pass the same validation.
public struct Scenario: Sendable, Equatable {
    public var name: String?
    public var description: String?
    public var profile: Profile
    public var clock: ClockSettings
    public var sites: [Site]
    public var users: [User]
    public var oauthClients: [OAuthClient]
    public var serviceAccounts: [ServiceAccount]
    public var connectApps: [ConnectApp]
    public var forgeApps: [ForgeApp]
    public var tokens: TokenSettings
    public var basicAuth: BasicAuthSettings
    public var oauth: OAuthSettings
    public var resources: [CustomResource]
    public var rateLimits: [RateLimit]
    public var faults: [Fault]
    /// Fixed signing keys; empty uses the process's own.
    public var keys: KeySettings

    public init(name: String? = nil, description: String? = nil, profile: Profile = .cloud2026, clock: ClockSettings = ClockSettings(),
                sites: [Site], users: [User] = [], oauthClients: [OAuthClient] = [], serviceAccounts: [ServiceAccount] = [], connectApps: [ConnectApp] = [],
                forgeApps: [ForgeApp] = [], tokens: TokenSettings = TokenSettings(), basicAuth: BasicAuthSettings = BasicAuthSettings(),
                oauth: OAuthSettings = OAuthSettings(), resources: [CustomResource] = [], rateLimits: [RateLimit] = [], faults: [Fault] = [], keys: KeySettings = KeySettings()) {
        self.name = name
        self.description = description
        self.profile = profile
        self.clock = clock
        self.sites = sites
        self.users = users
        self.oauthClients = oauthClients
        self.serviceAccounts = serviceAccounts
        self.connectApps = connectApps
        self.forgeApps = forgeApps
        self.tokens = tokens
        self.basicAuth = basicAuth
        self.oauth = oauth
        self.resources = resources
        self.rateLimits = rateLimits
        self.faults = faults
        self.keys = keys
    }

    /// The name the admin API reports (`name`, or "unnamed").
    public var displayName: String { name ?? "unnamed" }

    static let keys = ["name", "description", "profile", "clock", "sites", "users", "oauthClients", "serviceAccounts", "connectApps", "forgeApps",
                       "tokens", "basicAuth", "oauth", "resources", "rateLimits", "faults", "keys"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        let sitesNode = object.required("sites")
        let sites = sitesNode?.array(Site.init)
        if sitesNode?.value.arrayValue?.isEmpty == true { sitesNode?.report("at least one site is needed") }
        self.init(
            name: object.optional("name")?.nonEmptyString,
            description: object.optional("description")?.string,
            profile: object.optional("profile")?.oneOf(Profile.self, "profile") ?? .cloud2026,
            clock: object.optional("clock").flatMap(ClockSettings.init) ?? ClockSettings(),
            sites: sites ?? [],
            users: object.optional("users")?.array(User.init) ?? [],
            oauthClients: object.optional("oauthClients")?.array(OAuthClient.init) ?? [],
            serviceAccounts: object.optional("serviceAccounts")?.array(ServiceAccount.init) ?? [],
            connectApps: object.optional("connectApps")?.array(ConnectApp.init) ?? [],
            forgeApps: object.optional("forgeApps")?.array(ForgeApp.init) ?? [],
            tokens: object.optional("tokens").flatMap(TokenSettings.init) ?? TokenSettings(),
            basicAuth: object.optional("basicAuth").flatMap(BasicAuthSettings.init) ?? BasicAuthSettings(),
            oauth: object.optional("oauth").flatMap(OAuthSettings.init) ?? OAuthSettings(),
            resources: object.optional("resources")?.array(CustomResource.init) ?? [],
            rateLimits: object.optional("rateLimits")?.array(RateLimit.init) ?? [],
            faults: object.optional("faults")?.array(Fault.init) ?? [],
            keys: object.optional("keys").flatMap(KeySettings.init) ?? KeySettings())
    }

    /// The scenario as JSON, in the file format (`GET /__admin/scenario`).
    public var json: JSONValue {
        var object = JSONObject()
        if let name { object["name"] = .string(name) }
        if let description { object["description"] = .string(description) }
        object["profile"] = .string(profile.rawValue)
        object["clock"] = clock.json
        object["sites"] = .array(sites.map(\.json))
        object["users"] = .array(users.map(\.json))
        object["oauthClients"] = .array(oauthClients.map(\.json))
        if !serviceAccounts.isEmpty { object["serviceAccounts"] = .array(serviceAccounts.map(\.json)) }
        object["connectApps"] = .array(connectApps.map(\.json))
        object["forgeApps"] = .array(forgeApps.map(\.json))
        object["tokens"] = tokens.json
        object["basicAuth"] = basicAuth.json
        object["oauth"] = oauth.json
        object["resources"] = .array(resources.map(\.json))
        object["rateLimits"] = .array(rateLimits.map(\.json))
        object["faults"] = .array(faults.map(\.json))
        if !keys.isEmpty { object["keys"] = keys.json }
        return .object(object)
    }
}

extension Scenario {
    /// Loads and validates a scenario file. Every problem is reported, each with the file, the JSON
    /// path and what was expected; nothing half-loaded is returned.
    public static func load(contentsOfFile path: String) throws(ScenarioError) -> Scenario {
        switch readFile(path) {
        case .success(let bytes): return try load(json: bytes, file: path)
        case .failure(let error): throw ScenarioError(file: path, issues: [ScenarioIssue(path: "$", message: "cannot read the file: \(error.message)")])
        }
    }

    /// Loads and validates a scenario from JSON text.
    public static func load(json text: String, file: String? = nil) throws(ScenarioError) -> Scenario {
        try load(json: Array(text.utf8), file: file)
    }

    /// Loads and validates a scenario from JSON bytes.
    public static func load(json bytes: [UInt8], file: String? = nil) throws(ScenarioError) -> Scenario {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw ScenarioError(file: file, issues: [ScenarioIssue(path: "$", message: "not valid JSON: \(error)")])
        }
        return try decode(value, file: file)
    }

    /// Validates an already-parsed JSON value.
    public static func decode(_ value: JSONValue, file: String? = nil) throws(ScenarioError) -> Scenario {
        let issues = IssueCollector()
        let scenario = Scenario(JSONNode(value: value, path: .root, issues: issues))
        // References are checked once every value is valid: an element that failed to read is
        // missing, and every reference to it would otherwise cascade into an "unknown" error.
        if let scenario, issues.issues.isEmpty { ScenarioValidator(scenario: scenario, issues: issues).validate() }
        guard let scenario, issues.issues.isEmpty else { throw ScenarioError(file: file, issues: issues.issues) }
        return scenario
    }

    /// Checks a scenario built in Swift by the same rules as a file (references, duplicates, values).
    public func validated() throws(ScenarioError) -> Scenario { try Scenario.decode(json) }
}

/// `Codable` goes through the strict loader, so a scenario decoded with any `Decoder` is valid.
extension Scenario: Codable {
    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        do {
            self = try Scenario.decode(value)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}
