import AuthMockFormats

/// Confluence's JSON shapes for spaces, pages and users, close enough that real clients work:
/// ids, `type`, `status`, `title`, `space`, `version`, `body.storage`, `_links`.
enum Representations {
    /// Where `_links.base` points: the origin the client reached, then the site's `/wiki`.
    static func base(_ request: SiteRequest) -> String {
        let scheme = request.http.isSecure ? "https" : "http"
        let host = request.http.headers["Host"] ?? "localhost"
        // A request that named the site's own host (through the proxy, or in process) reached it
        // at its root: the `/site/{name}` it was routed by is the mock's, not the client's.
        if request.http.addressedHost != nil && request.address.door == .site { return "\(scheme)://\(host)/wiki" }
        let prefix = request.http.path.dropLast(request.address.path == "/" ? 0 : request.address.path.count)
        let trimmed = prefix.hasSuffix("/") && request.address.path == "/" ? String(prefix.dropLast()) : String(prefix)
        return "\(scheme)://\(host)\(trimmed)/wiki"
    }

    static func v1Space(_ space: Space, base: String) -> JSONValue {
        .object(JSONObject([
            ("id", .int(Int(space.id) ?? 0)), ("key", .string(space.key)), ("name", .string(space.name)),
            ("type", "global"), ("status", "current"),
            ("_expandable", .object(JSONObject([("description", ""), ("homepage", "")]))),
            ("_links", .object(JSONObject([("webui", .string("/spaces/\(space.key)")), ("self", .string("\(base)/rest/api/space/\(space.key)"))]))),
        ]))
    }

    /// v1 list envelope.
    static func v1List(_ results: [JSONValue], start: Int, limit: Int, base: String, selfPath: String) -> JSONValue {
        .object(JSONObject([
            ("results", .array(results)), ("start", .int(start)), ("limit", .int(limit)), ("size", .int(results.count)),
            ("_links", .object(JSONObject([("base", .string(base)), ("context", "/wiki"), ("self", .string(base + selfPath))]))),
        ]))
    }

    static func v1User(_ user: User, base: String) -> JSONValue {
        .object(JSONObject([
            ("type", "known"), ("accountId", .string(user.accountId)), ("accountType", user.isServiceAccount ? "app" : "atlassian"), ("email", .string(user.email)),
            ("publicName", .string(user.displayName)), ("displayName", .string(user.displayName)), ("isExternalCollaborator", false),
            ("_links", .object(JSONObject([("self", .string("\(base)/rest/api/user?accountId=\(user.accountId)"))]))),
        ]))
    }

    static let v1Anonymous: JSONValue = .object(JSONObject([("type", "anonymous"), ("displayName", "Anonymous"), ("isExternalCollaborator", false)]))

    static func v2Space(_ space: Space) -> JSONValue {
        .object(JSONObject([
            ("id", .string(space.id)), ("key", .string(space.key)), ("name", .string(space.name)), ("type", "global"),
            ("status", "current"), ("authorId", .null), ("homepageId", .null), ("description", .null),
            ("_links", .object(JSONObject([("webui", .string("/spaces/\(space.key)"))]))),
        ]))
    }
}
