import AuthMockFormats

/// How a request authenticated, for fault matching.
public enum AuthKind: String, Sendable, Equatable, CaseIterable {
    case basic, bearer, jwt, none
}

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

/// A canned response.
public struct CannedResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var json: JSONValue?
    public var body: String?

    public init(status: Int, headers: [String: String] = [:], json: JSONValue? = nil, body: String? = nil) {
        self.status = status
        self.headers = headers
        self.json = json
        self.body = body
    }

    static let keys = ["status", "headers", "json", "body"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        let status = object.required("status")?.int.flatMap { status -> Int? in
            guard (100...599).contains(status) else {
                object.optional("status")?.report("status \(status) is not an HTTP status (100–599)")
                return nil
            }
            return status
        }
        let headers = object.optional("headers")?.map?.reduce(into: [String: String]()) { $0[$1.key] = $1.node.string } ?? [:]
        if object.has("json") && object.has("body") { node.report("give \"json\" or \"body\", not both") }
        let body = object.optional("body")?.string
        guard let status else { return nil }
        self.init(status: status, headers: headers, json: object.optional("json")?.value, body: body)
    }

    var jsonValue: JSONValue {
        var object = JSONObject([("status", .int(status))])
        if !headers.isEmpty { object["headers"] = .object(JSONObject(headers.keys.sorted().map { ($0, .string(headers[$0]!)) })) }
        if let json { object["json"] = json }
        if let body { object["body"] = .string(body) }
        return .object(object)
    }
}

/// What a fault does to one request: answer instead, wait, and/or break the wire.
public struct FaultOutcome: Sendable, Equatable {
    public var respond: CannedResponse?
    public var delayMs: Int?
    public var wire: WireFaultKind?
    /// With `wire: slow`: how fast the body is dribbled.
    public var bytesPerSecond: Int?

    public init(respond: CannedResponse? = nil, delayMs: Int? = nil, wire: WireFaultKind? = nil, bytesPerSecond: Int? = nil) {
        self.respond = respond
        self.delayMs = delayMs
        self.wire = wire
        self.bytesPerSecond = bytesPerSecond
    }

    static let keys = ["respond", "delayMs", "wire", "bytesPerSecond"]

    /// Reads the outcome keys of `object` (a fault, or one sequence item) and checks they combine.
    init?(_ object: ObjectReader) {
        self.init(respond: object.optional("respond").flatMap(CannedResponse.init),
                  delayMs: object.optional("delayMs")?.int(atLeast: 0),
                  wire: object.optional("wire")?.oneOf(WireFaultKind.self, "wire fault"),
                  bytesPerSecond: object.optional("bytesPerSecond")?.int(atLeast: 1))
        let node = object.node
        if !(object.has("respond") || object.has("delayMs") || object.has("wire")) {
            node.report("needs an outcome: \"respond\", \"delayMs\" or \"wire\"")
            return nil
        }
        if object.has("respond") && object.has("wire") { node.report("\"respond\" and \"wire\" exclude each other") }
        if wire == .slow && !object.has("bytesPerSecond") { node.report("wire \"slow\" needs \"bytesPerSecond\"") }
        if object.has("bytesPerSecond") && object.has("wire") && wire != .slow { node.report("\"bytesPerSecond\" goes with wire \"slow\" only") }
    }

    func write(into object: inout JSONObject) {
        if let respond { object["respond"] = respond.jsonValue }
        if let delayMs { object["delayMs"] = .int(delayMs) }
        if let wire { object["wire"] = .string(wire.rawValue) }
        if let bytesPerSecond { object["bytesPerSecond"] = .int(bytesPerSecond) }
    }
}

/// What happens after a sequence's last outcome.
public enum SequenceEnd: String, Sendable, Equatable, CaseIterable {
    /// The last outcome repeats.
    case `repeat`
    /// Normal serving resumes.
    case pass
}

/// A scripted failure: requests that `match` get `outcome`, or the next outcome of `sequence`.
public struct Fault: Sendable, Equatable {
    public var name: String?
    public var match: FaultMatch
    public var outcome: FaultOutcome?
    public var sequence: [FaultOutcome]?
    public var then: SequenceEnd

    public init(name: String? = nil, match: FaultMatch, outcome: FaultOutcome? = nil, sequence: [FaultOutcome]? = nil, then: SequenceEnd = .repeat) {
        self.name = name
        self.match = match
        self.outcome = outcome
        self.sequence = sequence
        self.then = then
    }

    static let keys = ["name", "match", "respond", "delayMs", "wire", "bytesPerSecond", "sequence", "then"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        let name = object.optional("name")?.nonEmptyString
        let match = object.required("match").flatMap(FaultMatch.init)
        let hasOutcome = FaultOutcome.keys.contains { object.has($0) }
        var outcome: FaultOutcome?
        var sequence: [FaultOutcome]?
        if let items = object.optional("sequence") {
            if hasOutcome { node.report("give an outcome or a \"sequence\", not both") }
            sequence = items.array { $0.object(keys: FaultOutcome.keys).flatMap(FaultOutcome.init) }
            if sequence?.isEmpty == true { items.report("a sequence needs at least one outcome") }
        } else {
            outcome = FaultOutcome(object)
        }
        let then = object.optional("then")?.oneOf(SequenceEnd.self, "sequence end") ?? .repeat
        if object.has("then") && sequence == nil { object.optional("then")?.report("\"then\" goes with \"sequence\"") }
        guard let match, outcome != nil || sequence != nil else { return nil }
        self.init(name: name, match: match, outcome: outcome, sequence: sequence, then: then)
    }

    var json: JSONValue {
        var object = JSONObject()
        if let name { object["name"] = .string(name) }
        object["match"] = match.jsonValue
        outcome?.write(into: &object)
        if let sequence {
            object["sequence"] = .array(sequence.map { item in
                var entry = JSONObject()
                item.write(into: &entry)
                return .object(entry)
            })
            object["then"] = .string(then.rawValue)
        }
        return .object(object)
    }
}

/// Whom a rate limit counts.
public enum RateLimitScope: String, Sendable, Equatable, CaseIterable {
    case principal, global
}

/// A request quota in fixed windows on the scenario clock.
public struct RateLimit: Sendable, Equatable {
    public var match: FaultMatch
    public var limit: Int
    public var windowSeconds: Int
    public var per: RateLimitScope
    /// `RateLimit-Reason` on 429s.
    public var reason: String

    public init(match: FaultMatch = FaultMatch(), limit: Int, windowSeconds: Int, per: RateLimitScope = .principal,
                reason: String = "confluence-quota-tenant-based") {
        self.match = match
        self.limit = limit
        self.windowSeconds = windowSeconds
        self.per = per
        self.reason = reason
    }

    static let keys = ["match", "limit", "windowSeconds", "per", "reason"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        let match = object.required("match").flatMap(FaultMatch.init)
        let limit = object.required("limit")?.int(atLeast: 1)
        let window = object.required("windowSeconds")?.int(atLeast: 1)
        let per = object.optional("per").map { $0.oneOf(RateLimitScope.self, "rate-limit scope") } ?? .principal
        let reason = object.optional("reason")?.nonEmptyString ?? "confluence-quota-tenant-based"
        guard let match, let limit, let window, let per else { return nil }
        self.init(match: match, limit: limit, windowSeconds: window, per: per, reason: reason)
    }

    var json: JSONValue {
        .object(JSONObject([("match", match.jsonValue), ("limit", .int(limit)), ("windowSeconds", .int(windowSeconds)),
                            ("per", .string(per.rawValue)), ("reason", .string(reason))]))
    }
}

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
        let path = object.required("path")?.relativePath
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

extension JSONNode {
    /// A granular scope (`action:resource:confluence`).
    var granularScope: String? {
        guard let scope else { return nil }
        guard ScopeCatalog.isGranular(scope) else {
            report("\"\(scope)\" is not a granular scope (action:resource:confluence)")
            return nil
        }
        return scope
    }

    var probability: Double? {
        guard let number else { return nil }
        guard (0...1).contains(number) else {
            report("probability \(number) is not between 0 and 1")
            return nil
        }
        return number
    }
}
