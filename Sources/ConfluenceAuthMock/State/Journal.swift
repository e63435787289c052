import AuthMockFormats
import AuthMockHTTP

/// How a request authenticated and what was decided, as the journal records it.
public struct AuthRecord: Sendable, Equatable {
    /// `oauth`, `basic`, `connect`, `forge`, `anonymous` or `none`.
    public var mechanism: String
    public var principal: String?
    /// The OAuth client id, Connect app key or Forge app id the request came through, when it
    /// came through one: with a user's 3LO token `principal` is the user and `client` the app.
    public var client: String?
    public var scopesHeld: [String]
    public var scopesRequired: [String]
    /// `allowed` or `denied`, once a mechanism decided.
    public var decision: String?
    public var reason: String?

    public init(mechanism: String = "none", principal: String? = nil, client: String? = nil, scopesHeld: [String] = [],
                scopesRequired: [String] = [], decision: String? = nil, reason: String? = nil) {
        self.mechanism = mechanism
        self.principal = principal
        self.client = client
        self.scopesHeld = scopesHeld
        self.scopesRequired = scopesRequired
        self.decision = decision
        self.reason = reason
    }

    /// Records a refusal and why.
    mutating func deny(_ reason: String) {
        decision = "denied"
        self.reason = reason
    }

    var json: JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
        // Named parts: as one literal the expression is too much for the type checker.
        let held: JSONValue = .array(scopesHeld.map { .string($0) })
        let required: JSONValue = .array(scopesRequired.map { .string($0) })
        return .object(JSONObject([("mechanism", .string(mechanism)), ("principal", optional(principal)), ("client", optional(client)),
                                   ("scopesHeld", held), ("scopesRequired", required),
                                   ("decision", optional(decision)), ("reason", optional(reason))]))
    }
}

/// One request as the mock received and answered it. Secrets are kept as sent: tests assert on them.
public struct JournalEntry: Sendable {
    public let id: Int
    /// Scenario-clock time the request arrived, seconds since 1970.
    public let time: Double
    public let method: String
    /// The path as received (`/site/acme/wiki/rest/api/space`).
    public let path: String
    /// The path within the site (`/wiki/rest/api/space`) when the request addressed one, through
    /// `/site/{name}`, the gateway or its `Host`; `nil` for the platform and admin routes.
    public let pathWithinSite: String?
    public let query: [(name: String, value: String)]
    /// The header fields as received; `headers` and `body` are built from these when read, so
    /// recording a request (on every request) stays cheap.
    let headerFields: HTTPHeaders
    let bodyBytes: [UInt8]
    public let status: Int
    public let durationMs: Double
    /// The name of the fault or rate limit that applied, if any.
    public let fault: String?
    public let auth: AuthRecord

    /// Lower-case header names; repeated fields joined with ", ".
    public var headers: [String: String] {
        var headers: [String: String] = [:]
        for field in headerFields.fields {
            let name = field.name.lowercased()
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        return headers
    }

    /// The body as UTF-8 text (invalid sequences replaced).
    public var body: String { String(decoding: bodyBytes, as: UTF8.self) }

    /// The journal entry JSON (docs/admin-api.md "Journal entries").
    public var json: JSONValue {
        var queryObject = JSONObject()
        for item in query { queryObject[item.name] = .array((queryObject[item.name]?.arrayValue ?? []) + [.string(item.value)]) }
        return .object(JSONObject([
            ("id", .int(id)), ("time", .string(ISO8601.format(time, milliseconds: true))), ("method", .string(method)),
            ("path", .string(path)), ("pathWithinSite", pathWithinSite.map { .string($0) } ?? .null), ("query", .object(queryObject)),
            ("headers", .object(JSONObject(headers.keys.sorted().map { ($0, .string(headers[$0]!)) }))),
            ("body", .string(body)), ("status", .int(status)), ("durationMs", .double(durationMs)),
            ("fault", fault.map { .string($0) } ?? .null), ("auth", auth.json),
        ]))
    }
}

/// Which journal entries to return.
public struct JournalFilter: Sendable {
    public var method: String?
    /// A path glob (`*` matches anything), matched against the full path and the path within the
    /// site, as fault matching does: `/wiki/*` covers `/site/acme/wiki/…` and the gateway's.
    public var path: String?
    /// Who the request authenticated as: an account id, or a user's email (which stands for its
    /// account id), an OAuth client id or a Connect or Forge app key; compared case-insensitively.
    public var principal: String?
    /// The OAuth client id, Connect app key or Forge app id (`AuthRecord.client`).
    public var client: String?
    public var status: Int?
    /// At most this many, the most recent (still returned oldest first).
    public var limit: Int?

    public init(method: String? = nil, path: String? = nil, principal: String? = nil, client: String? = nil, status: Int? = nil,
                limit: Int? = nil) {
        self.method = method
        self.path = path
        self.principal = principal
        self.client = client
        self.status = status
        self.limit = limit
    }

    /// Whether `entry` passes; `principals` are the names `principal` stands for (itself, and a
    /// user's account id and email).
    func accepts(_ entry: JournalEntry, principals: [String]) -> Bool {
        (method.map { $0.uppercased() == entry.method.uppercased() } ?? true)
            && (path.map { pattern in globMatches(pattern, entry.path) || entry.pathWithinSite.map { globMatches(pattern, $0) } == true } ?? true)
            && (principal == nil || entry.auth.principal.map { recorded in principals.contains { $0.equalsIgnoringCase(recorded) } } == true)
            && (client.map { $0 == entry.auth.client } ?? true)
            && (status.map { $0 == entry.status } ?? true)
    }
}

/// A bounded ring of entries: the oldest drop off past `capacity`, so long runs keep flat memory.
struct Journal: Sendable {
    let capacity: Int
    private var entries: [JournalEntry] = []
    private var start = 0
    private(set) var nextID = 1

    init(capacity: Int) { self.capacity = max(1, capacity) }

    mutating func append(_ make: (Int) -> JournalEntry) {
        let entry = make(nextID)
        nextID += 1
        if entries.count < capacity {
            entries.append(entry)
        } else {
            entries[start] = entry
            start = (start + 1) % capacity
        }
    }

    /// Entries oldest first.
    var all: [JournalEntry] { Array(entries[start...] + entries[..<start]) }

    /// The entries `filter` accepts, `principals` being the names its principal stands for.
    func select(_ filter: JournalFilter, principals: [String]) -> [JournalEntry] {
        let matching = all.filter { filter.accepts($0, principals: principals) }
        guard let limit = filter.limit else { return matching }
        return Array(matching.suffix(max(0, limit)))
    }

    mutating func clear() {
        entries.removeAll()
        start = 0
    }
}
