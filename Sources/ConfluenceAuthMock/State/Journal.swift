import AuthMockFormats
import AuthMockHTTP

/// One request as the mock received and answered it. Secrets are kept as sent: tests assert on them.
public struct JournalEntry: Sendable, Equatable {
    /// One `name=value` of the query, decoded.
    public struct QueryItem: Sendable, Equatable {
        /// The parameter name, decoded.
        public let name: String
        /// The value, decoded.
        public let value: String

        /// An item, to compare entries' `query` with.
        public init(name: String, value: String) { (self.name, self.value) = (name, value) }
    }

    /// Numbers count up from 1 over the mock's life; a reset empties the journal but keeps counting.
    public internal(set) var id: Int
    /// Scenario-clock time the request arrived, seconds since 1970.
    public let time: Double
    /// The method as sent (`GET`).
    public let method: String
    /// The path as received (`/site/acme/wiki/rest/api/space`).
    public let path: String
    /// The path within the site (`/wiki/rest/api/space`) when the request addressed one, through
    /// `/site/{name}`, the gateway or its `Host`; `nil` for the platform and admin routes.
    public let pathWithinSite: String?
    /// How the request reached the mock: over a socket, or in-process (a URL session whose
    /// protocol class hands requests straight to the mock).
    public var transport: Transport = .socket
    /// The query as received; `query`, `headers` and `body` are built from these when read, so
    /// recording a request (on every request) stays cheap.
    let queryFields: [(name: String, value: String)]
    let headerFields: HTTPHeaders
    let bodyBytes: [UInt8]
    /// The status sent; 0 when a wire fault left the client without one.
    public let status: Int
    /// How long the mock took to answer, in milliseconds.
    public let durationMs: Double
    /// The name of the fault or rate limit that applied, if any.
    public let fault: String?
    /// How the request authenticated and what was decided.
    public let auth: AuthRecord
    /// The `atl-traceid` the answer carried (a site's or the gateway's answers); `nil` for the auth
    /// host, the key servers and answers that never left (a connection reset).
    public var traceId: String? = nil
    /// The answer's header fields and the start of its body (at most `responseBodyLimit` bytes),
    /// for the console's explanation of an entry.
    var responseHeaderFields = HTTPHeaders()
    var responseBodyStart: [UInt8] = []
    /// The catalog operation the request matched (`v2 getPageById`), `nil` when none did.
    var operationKey: String? = nil
    /// `true` when the answer was generated from the operation's documented schema.
    public var generated = false

    /// The `operationId` of the catalog operation the request matched (docs/catalog.md), `nil`
    /// when none did.
    public var operation: String? { operationKey.map { String($0.drop { $0 != " " }.dropFirst()) } }
    /// The operation's API, `v1` or `v2`.
    public var operationAPI: String? { operationKey.map { String($0.prefix { $0 != " " }) } }

    /// How much of an answer's body an entry keeps: enough to read an error, bounded so that a
    /// full journal stays small.
    static let responseBodyLimit = 2048

    /// The query's items in order, repeated names included.
    public var query: [QueryItem] { queryFields.map { QueryItem(name: $0.name, value: $0.value) } }

    /// Lower-case header names; repeated fields joined with ", ".
    public var headers: [String: String] { Self.joined(headerFields) }

    private static func joined(_ fields: HTTPHeaders) -> [String: String] {
        var headers: [String: String] = [:]
        for field in fields.fields {
            let name = field.name.lowercased()
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        return headers
    }

    /// The body as UTF-8 text (invalid sequences replaced).
    public var body: String { String(decoding: bodyBytes, as: UTF8.self) }

    /// The answer's header fields as sent, lower-case names, repeated fields joined with ", ".
    public var responseHeaders: [String: String] { Self.joined(responseHeaderFields) }

    /// The start of the answer's body as UTF-8 text (at most 2 KiB; invalid sequences replaced).
    public var responseBody: String { String(decoding: responseBodyStart, as: UTF8.self) }

    /// The body parsed as JSON, when it is JSON.
    public var jsonBody: JSONValue? { try? JSONValue.parse(bodyBytes) }

    /// Every field equal, the raw query, headers and body included.
    public static func == (lhs: JournalEntry, rhs: JournalEntry) -> Bool {
        lhs.id == rhs.id && lhs.time == rhs.time && lhs.method == rhs.method && lhs.path == rhs.path && lhs.pathWithinSite == rhs.pathWithinSite && lhs.transport == rhs.transport
            && lhs.queryFields.elementsEqual(rhs.queryFields) { $0.name == $1.name && $0.value == $1.value }
            && lhs.headerFields == rhs.headerFields && lhs.bodyBytes == rhs.bodyBytes && lhs.status == rhs.status
            && lhs.durationMs == rhs.durationMs && lhs.fault == rhs.fault && lhs.auth == rhs.auth && lhs.traceId == rhs.traceId
            && lhs.responseHeaderFields == rhs.responseHeaderFields && lhs.responseBodyStart == rhs.responseBodyStart
            && lhs.operationKey == rhs.operationKey && lhs.generated == rhs.generated
    }

    private static func sortedObject(_ fields: [String: String]) -> JSONValue {
        .object(JSONObject(fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
    }

    /// The journal entry JSON (docs/admin-api.md "Journal entries").
    public var json: JSONValue {
        var queryObject = JSONObject()
        for item in queryFields { queryObject[item.name] = .array((queryObject[item.name]?.arrayValue ?? []) + [.string(item.value)]) }
        return .object(JSONObject([
            ("id", .int(id)), ("time", .string(ISO8601.format(time, milliseconds: true))), ("method", .string(method)),
            ("path", .string(path)), ("pathWithinSite", pathWithinSite.map { .string($0) } ?? .null), ("transport", .string(transport.rawValue)), ("query", .object(queryObject)),
            ("headers", Self.sortedObject(headers)),
            ("body", .string(body)), ("status", .int(status)), ("durationMs", .double(durationMs)),
            ("fault", fault.map { .string($0) } ?? .null), ("auth", auth.json), ("traceId", traceId.map { .string($0) } ?? .null),
            ("operation", operation.map { .string($0) } ?? .null), ("api", operationAPI.map { .string($0) } ?? .null), ("generated", .bool(generated)),
            ("response", .object(JSONObject([("headers", Self.sortedObject(responseHeaders)), ("bodyStart", .string(responseBody))]))),
        ]))
    }
}

/// A bounded ring of entries: the oldest drop off past `capacity`, so long runs keep flat memory.
struct Journal: Sendable {
    let capacity: Int
    private var entries: [JournalEntry] = []
    private var start = 0
    private(set) var nextID = 1

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Numbers `entry` and appends it. Afterwards `entry` holds what the caller is to free once the
    /// journal's lock is released: the oldest entry, which a full ring swapped out for the new one
    /// (or, while the ring fills, a vacant one). An entry holds dozens of strings and buffers,
    /// and freeing them under the lock that every request takes lengthened it measurably.
    mutating func append(_ entry: inout JournalEntry) {
        entry.id = nextID
        nextID += 1
        // While the ring fills, a vacant entry is swapped out instead, so the new one is moved in
        // rather than copied (a retain of each of its fields, and a release when the caller's copy goes).
        if entries.count < capacity {
            entries.append(Self.vacant)
            return swap(&entries[entries.count - 1], &entry)
        }
        swap(&entries[start], &entry)
        start = (start + 1) % capacity
    }

    /// An entry that holds nothing on the heap.
    private static let vacant = JournalEntry(id: 0, time: 0, method: "", path: "", pathWithinSite: nil, queryFields: [], headerFields: HTTPHeaders(),
                                             bodyBytes: [], status: 0, durationMs: 0, fault: nil, auth: AuthRecord())

    /// Entries oldest first.
    var all: [JournalEntry] { Array(entries[start...] + entries[..<start]) }

    /// The entries `filter` accepts, `principals` being the names its principal stands for.
    func select(_ filter: JournalFilter, principals: [String]) -> [JournalEntry] {
        let matching = all.filter { filter.accepts($0, principals: principals) }
        guard let limit = filter.limit else { return matching }
        return Array(matching.suffix(max(0, limit)))
    }

    /// The entries with ids above `id`, oldest first, and the id of the oldest entry kept; ids in
    /// the ring are consecutive, so this copies only the entries asked for (a stream polls it).
    func entries(after id: Int) -> (entries: [JournalEntry], oldestID: Int?) {
        guard let oldest = entries.isEmpty ? nil : entries[start].id else { return ([], nil) }
        let skip = max(0, id + 1 - oldest)
        guard skip < entries.count else { return ([], oldest) }
        return ((skip..<entries.count).map { entries[(start + $0) % entries.count] }, oldest)
    }

    /// The entry numbered `id`, while the ring still holds it.
    func entry(id: Int) -> JournalEntry? {
        guard let oldest = entries.isEmpty ? nil : entries[start].id, id >= oldest, id - oldest < entries.count else { return nil }
        return entries[(start + id - oldest) % entries.count]
    }

    /// How many entries hold each decision (`nil`: no mechanism decided).
    var decisionCounts: [AuthDecision?: Int] {
        entries.reduce(into: [:]) { counts, entry in counts[entry.auth.decision, default: 0] += 1 }
    }

    mutating func clear() {
        entries.removeAll()
        start = 0
    }
}
