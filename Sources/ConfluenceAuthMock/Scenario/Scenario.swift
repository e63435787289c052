import AuthMockFormats

/// Everything a mock serves: sites, users, apps, settings and what goes wrong. Build one in Swift,
/// or load a JSON scenario file; both pass the same validation.
///
/// A value type whose fields live in one immutable box that copies share: every request reads the
/// scenario, and handing it on then costs one reference count where copying its fields cost one
/// per list and string, on counts two threads serving requests pass back and forth. Changing a
/// field makes a new box.
public struct Scenario: Sendable, Equatable {
    private var box: Box

    public var name: String? { get { box.fields.name } set { change { $0.name = newValue } } }
    public var description: String? { get { box.fields.description } set { change { $0.description = newValue } } }
    public var profile: Profile { get { box.fields.profile } set { change { $0.profile = newValue } } }
    public var clock: ClockSettings { get { box.fields.clock } set { change { $0.clock = newValue } } }
    public var sites: [Site] { get { box.fields.sites } set { change { $0.sites = newValue } } }
    public var users: [User] { get { box.fields.users } set { change { $0.users = newValue } } }
    public var oauthClients: [OAuthClient] { get { box.fields.oauthClients } set { change { $0.oauthClients = newValue } } }
    public var serviceAccounts: [ServiceAccount] { get { box.fields.serviceAccounts } set { change { $0.serviceAccounts = newValue } } }
    public var connectApps: [ConnectApp] { get { box.fields.connectApps } set { change { $0.connectApps = newValue } } }
    public var forgeApps: [ForgeApp] { get { box.fields.forgeApps } set { change { $0.forgeApps = newValue } } }
    public var tokens: TokenSettings { get { box.fields.tokens } set { change { $0.tokens = newValue } } }
    public var basicAuth: BasicAuthSettings { get { box.fields.basicAuth } set { change { $0.basicAuth = newValue } } }
    public var oauth: OAuthSettings { get { box.fields.oauth } set { change { $0.oauth = newValue } } }
    public var resources: [CustomResource] { get { box.fields.resources } set { change { $0.resources = newValue } } }
    public var rateLimits: [RateLimit] { get { box.fields.rateLimits } set { change { $0.rateLimits = newValue } } }
    public var faults: [Fault] { get { box.fields.faults } set { change { $0.faults = newValue } } }
    /// Fixed signing keys; empty uses the process's own.
    public var keys: KeySettings { get { box.fields.keys } set { change { $0.keys = newValue } } }

    public init(name: String? = nil, description: String? = nil, profile: Profile = .cloud2026, clock: ClockSettings = ClockSettings(),
                sites: [Site], users: [User] = [], oauthClients: [OAuthClient] = [], serviceAccounts: [ServiceAccount] = [], connectApps: [ConnectApp] = [],
                forgeApps: [ForgeApp] = [], tokens: TokenSettings = TokenSettings(), basicAuth: BasicAuthSettings = BasicAuthSettings(),
                oauth: OAuthSettings = OAuthSettings(), resources: [CustomResource] = [], rateLimits: [RateLimit] = [], faults: [Fault] = [], keys: KeySettings = KeySettings()) {
        box = Box(Fields(name: name, description: description, profile: profile, clock: clock, sites: sites, users: users, oauthClients: oauthClients,
                         serviceAccounts: serviceAccounts, connectApps: connectApps, forgeApps: forgeApps, tokens: tokens, basicAuth: basicAuth,
                         oauth: oauth, resources: resources, rateLimits: rateLimits, faults: faults, keys: keys))
    }

    public static func == (left: Scenario, right: Scenario) -> Bool { left.box === right.box || left.box.fields == right.box.fields }

    /// Changes a field in a box of this scenario's own.
    private mutating func change(_ update: (inout Fields) -> Void) {
        var fields = box.fields
        update(&fields)
        box = Box(fields)
    }

    /// What a scenario stores.
    private struct Fields: Sendable, Equatable {
        var name: String?
        var description: String?
        var profile: Profile
        var clock: ClockSettings
        var sites: [Site]
        var users: [User]
        var oauthClients: [OAuthClient]
        var serviceAccounts: [ServiceAccount]
        var connectApps: [ConnectApp]
        var forgeApps: [ForgeApp]
        var tokens: TokenSettings
        var basicAuth: BasicAuthSettings
        var oauth: OAuthSettings
        var resources: [CustomResource]
        var rateLimits: [RateLimit]
        var faults: [Fault]
        var keys: KeySettings
    }

    /// The fields copies of a scenario share; never changed once made.
    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
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
