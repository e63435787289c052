import AuthMockFormats

/// The kind of credential a request presents, as fault matching's `auth` and the journal's
/// `credential` name it.
public enum AuthKind: String, Sendable, Equatable, CaseIterable {
    case basic, bearer, jwt
    /// No credential (`"none"` in scenario files). Not `none`, which an optional `AuthKind?`
    /// would read as "no value".
    case noCredential = "none"

    /// The former name of ``noCredential``.
    @available(*, deprecated, renamed: "noCredential")
    public static var none: AuthKind { .noCredential }
}

extension Scenario {
    /// A misbehaviour on the wire (see `WireFault` in the HTTP layer).
    public enum WireFaultKind: String, Sendable, Equatable, CaseIterable {
        case reset, close, garbage, truncate, slow
    }

    /// Which requests a fault or rate limit applies to. Every key set must hold.
    public struct FaultMatch: Sendable, Equatable {
        public var method: String?
        /// A path with `*` wildcards (`/wiki/rest/api/content*`).
        public var path: String?
        public var query: [String: String]
        public var header: [String: String]
        public var form: [String: String]
        public var json: [String: JSONValue]
        public var auth: AuthKind?
        /// Account id, email, OAuth client id or app key.
        public var principal: String?
        /// 1-based numbers among the requests this fault matched.
        public var calls: [Int]?
        public var every: Int?
        public var after: Int?
        public var times: Int?
        public var probability: Double?
        public var seed: Int?

        public init(method: String? = nil, path: String? = nil, query: [String: String] = [:], header: [String: String] = [:],
                    form: [String: String] = [:], json: [String: JSONValue] = [:], auth: AuthKind? = nil, principal: String? = nil,
                    calls: [Int]? = nil, every: Int? = nil, after: Int? = nil, times: Int? = nil, probability: Double? = nil, seed: Int? = nil) {
            self.method = method
            self.path = path
            self.query = query
            self.header = header
            self.form = form
            self.json = json
            self.auth = auth
            self.principal = principal
            self.calls = calls
            self.every = every
            self.after = after
            self.times = times
            self.probability = probability
            self.seed = seed
        }

        static let keys = ["method", "path", "query", "header", "form", "json", "auth", "principal", "calls", "every", "after", "times", "probability", "seed"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            func strings(_ key: String) -> [String: String] {
                object.optional(key)?.map?.reduce(into: [String: String]()) { $0[$1.key] = $1.node.string } ?? [:]
            }
            self.init(method: object.optional("method")?.nonEmptyString?.uppercased(),
                      path: object.optional("path")?.relativePath,
                      query: strings("query"), header: strings("header"), form: strings("form"),
                      json: object.optional("json")?.map?.reduce(into: [String: JSONValue]()) { $0[$1.key] = $1.node.value } ?? [:],
                      auth: object.optional("auth")?.oneOf(AuthKind.self, "auth kind"),
                      principal: object.optional("principal")?.nonEmptyString,
                      calls: object.optional("calls")?.array { $0.int(atLeast: 1) },
                      every: object.optional("every")?.int(atLeast: 1), after: object.optional("after")?.int(atLeast: 0),
                      times: object.optional("times")?.int(atLeast: 1),
                      probability: object.optional("probability")?.probability, seed: object.optional("seed")?.int)
            if probability == nil && object.has("seed") { object.optional("seed")?.report("\"seed\" goes with \"probability\"") }
        }

        var jsonValue: JSONValue {
            var object = JSONObject()
            if let method { object["method"] = .string(method) }
            if let path { object["path"] = .string(path) }
            for (key, map) in [("query", query), ("header", header), ("form", form)] where !map.isEmpty {
                object[key] = .object(JSONObject(map.keys.sorted().map { ($0, .string(map[$0]!)) }))
            }
            if !json.isEmpty { object["json"] = .object(JSONObject(json.keys.sorted().map { ($0, json[$0]!) })) }
            if let auth { object["auth"] = .string(auth.rawValue) }
            if let principal { object["principal"] = .string(principal) }
            if let calls { object["calls"] = .array(calls.map { .int($0) }) }
            for (key, value) in [("every", every), ("after", after), ("times", times), ("seed", seed)] {
                if let value { object[key] = .int(value) }
            }
            if let probability { object["probability"] = .double(probability) }
            return .object(object)
        }
    }
}
