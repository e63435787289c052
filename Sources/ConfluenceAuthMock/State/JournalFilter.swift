import AuthMockFormats

/// Which journal entries to return: every criterion set must hold. The request criteria read the
/// way fault matching's do (scenarios/README.md "faults"), so one request is described alike in
/// both.
public struct JournalFilter: Sendable {
    /// The method, case-insensitively.
    public var method: String?
    /// A path glob (`*` matches anything), matched against the full path and the path within the
    /// site, as fault matching does: `/wiki/*` covers `/site/acme/wiki/…` and the gateway's.
    public var path: String?
    /// Query parameters that must be present, each value a glob one of the parameter's values matches.
    public var query: [String: String]
    /// Header fields that must be present (names case-insensitive), each value a glob.
    public var header: [String: String]
    /// Top-level members the body's JSON object must have, with these values.
    public var json: [String: JSONValue]
    /// The credential presented, in fault matching's names.
    public var auth: AuthKind?
    /// What the mock recognised the credential as.
    public var mechanism: AuthMechanism?
    /// What was decided (entries no mechanism decided match no decision).
    public var decision: AuthDecision?
    /// Who the request authenticated as: an account id, or a user's email (which stands for its
    /// account id), an OAuth client id or a Connect or Forge app key; compared case-insensitively.
    public var principal: String?
    /// The OAuth client id, Connect app key or Forge app id (`AuthRecord.client`).
    public var client: String?
    /// The status sent (0 when a wire fault left the client without one).
    public var status: Int?
    /// At most this many, the most recent (still returned oldest first).
    public var limit: Int?

    /// Every criterion optional; an empty filter accepts every entry.
    public init(method: String? = nil, path: String? = nil, query: [String: String] = [:], header: [String: String] = [:],
                json: [String: JSONValue] = [:], auth: AuthKind? = nil, mechanism: AuthMechanism? = nil, decision: AuthDecision? = nil,
                principal: String? = nil, client: String? = nil, status: Int? = nil, limit: Int? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.header = header
        self.json = json
        self.auth = auth
        self.mechanism = mechanism
        self.decision = decision
        self.principal = principal
        self.client = client
        self.status = status
        self.limit = limit
    }

    /// Whether `entry` passes; `principals` are the names `principal` stands for (itself, and a
    /// user's account id and email).
    func accepts(_ entry: JournalEntry, principals: [String]) -> Bool {
        acceptsRequest(entry) && acceptsOutcome(entry, principals: principals)
    }

    /// What was sent: method, path, query, headers, body.
    private func acceptsRequest(_ entry: JournalEntry) -> Bool {
        if let method, method.uppercased() != entry.method.uppercased() { return false }
        if let path, !globMatches(path, entry.path) && entry.pathWithinSite.map({ globMatches(path, $0) }) != true { return false }
        for (name, pattern) in query where !entry.queryFields.contains(where: { $0.name == name && globMatches(pattern, $0.value) }) { return false }
        for (name, pattern) in header where !entry.headerFields.values(name).contains(where: { globMatches(pattern, $0) }) { return false }
        if !json.isEmpty {
            guard let object = entry.jsonBody?.objectValue, json.allSatisfy({ object[$0.key] == $0.value }) else { return false }
        }
        return true
    }

    /// What the mock made of it: credential, mechanism, decision, principal, client, status.
    private func acceptsOutcome(_ entry: JournalEntry, principals: [String]) -> Bool {
        if let auth, auth != entry.auth.credential { return false }
        if let mechanism, mechanism != entry.auth.mechanism { return false }
        if let decision, decision != entry.auth.decision { return false }
        if principal != nil, entry.auth.principal.map({ recorded in principals.contains { $0.equalsIgnoringCase(recorded) } }) != true { return false }
        if let client, client != entry.auth.client { return false }
        if let status, status != entry.status { return false }
        return true
    }
}
