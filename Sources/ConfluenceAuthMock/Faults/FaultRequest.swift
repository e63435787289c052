import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP

/// A request as fault and rate-limit matching sees it: its paths, body fields and who it says it is.
/// Built only when the scenario has faults or rate limits, so ordinary requests never pay for it.
struct FaultRequest {
    let http: HTTPRequest
    /// The path relative to the site (`/wiki/rest/api/content/1`) when the request came through
    /// `/site/{name}` or the gateway; the path itself otherwise.
    let sitePath: String
    let auth: AuthKind
    /// Who the request says it is (not yet verified): account id and email, OAuth client id, or
    /// Connect app key and client key. Empty for anonymous requests.
    let principals: [String]
    /// The body's fields: form-encoded pairs, or a JSON object's scalar members as text.
    let bodyFields: [String: String]
    /// The body as a JSON object, when it is one.
    let jsonBody: JSONObject?

    /// The principal rate limits count under and the journal names.
    var primaryPrincipal: String { principals.first ?? "anonymous" }

    init(_ request: HTTPRequest, sitePath: String, credential: Credential, snapshot: StateSnapshot) {
        http = request
        self.sitePath = sitePath
        jsonBody = request.mediaType == "application/json" ? (try? request.jsonBody())?.objectValue : nil
        if let jsonBody {
            bodyFields = Dictionary(jsonBody.members.compactMap { member in Self.text(member.value).map { (member.key, $0) } }, uniquingKeysWith: { first, _ in first })
        } else {
            bodyFields = Dictionary(request.formBody.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        auth = credential.kind
        principals = Self.identify(credential, bodyFields: bodyFields, snapshot: snapshot)
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .bool(let flag): String(flag)
        default: nil
        }
    }

    /// The identities the credential names, read without verifying it.
    private static func identify(_ credential: Credential, bodyFields: [String: String], snapshot: StateSnapshot) -> [String] {
        let scenario = snapshot.scenario
        switch credential {
        case .basic(let name, _), .malformedBasic(let name):
            if let user = scenario.user(name) { return [user.accountId, user.email] }
            return name.isEmpty ? [] : [name]
        case .bearer(let token) where !token.isEmpty:
            guard let grant = snapshot.bearer?.storedGrant else { return [] }
            if let app = grant.app { return [app.key, app.clientKey] + (grant.accountId.isEmpty ? [] : [grant.accountId]) }
            return [grant.accountId, scenario.user(grant.accountId)?.email, grant.clientId].compactMap { $0 }
        case .connectJWT(let jwt):
            let issuer = (try? JWT.decode(jwt))?.claims["iss"]?.stringValue ?? ""
            let app = scenario.connectApps.first { app in app.key == issuer || app.installations.contains { $0.clientKey == issuer } }
            return [app?.key, issuer].compactMap { $0 }
        case .none, .otherScheme, .bearer:
            return bodyFields["client_id"].map { [$0] } ?? []
        }
    }
}

extension FaultMatch {
    /// Whether the keys that do not count requests hold: method, path, query, header, body
    /// fields, auth kind and principal. Path globs match the full path or the site-relative one, so
    /// `/wiki/*` covers every door to a site. Query and header values are globs too.
    func accepts(_ request: FaultRequest) -> Bool {
        if let method, method != request.http.method { return false }
        if let path, !globMatches(path, request.http.path) && !globMatches(path, request.sitePath) { return false }
        for (name, pattern) in query where !request.http.queryValues(name).contains(where: { globMatches(pattern, $0) }) { return false }
        for (name, pattern) in header where !request.http.headers.values(name).contains(where: { globMatches(pattern, $0) }) { return false }
        for (name, value) in form where request.bodyFields[name] != value { return false }
        for (name, value) in json where request.jsonBody?[name] != value { return false }
        if let auth, auth != request.auth { return false }
        if let principal, !request.principals.contains(where: { $0 == principal || $0.lowercased() == principal.lowercased() }) { return false }
        return true
    }

    /// Whether the match uses keys that count requests (meaningless for rate limits).
    var counts: Bool { calls != nil || every != nil || after != nil || times != nil || probability != nil || seed != nil }
}
