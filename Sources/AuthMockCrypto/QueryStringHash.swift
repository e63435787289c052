import AuthMockFormats

/// Atlassian Connect's query-string hash (`qsh` claim): SHA-256 of a canonical request
/// `METHOD&canonical-path&canonical-query` (reference §4.3).
///
/// Canonicalisation follows Atlassian's libraries (atlassian-jwt for Python and JavaScript), which
/// every Connect app signs with, rather than the prose spec where the two differ: repeated values
/// are sorted by their *decoded* text (the libraries' known "JWT-20" behaviour) before encoding.
public enum QueryStringHash {
    /// The canonical request for a method and a URL. `url` may be absolute (`https://h/wiki/x?a=1`)
    /// or a path with a query (`/wiki/x?a=1`); a fragment is ignored. `basePath` (e.g. `/wiki`, the
    /// context path of the site's base URL) is removed from the front of the path.
    public static func canonicalRequest(method: String, url: String, basePath: String = "") -> String {
        let (path, query) = splitURL(url)
        return canonicalRequest(method: method, path: path, query: query, basePath: basePath)
    }

    /// The canonical request for a raw (still percent-encoded) path and raw query string.
    public static func canonicalRequest(method: String, path: String, query: String, basePath: String = "") -> String {
        "\(method.uppercased())&\(canonicalPath(path, basePath: basePath))&\(canonicalQuery(query))"
    }

    /// The `qsh` value: lower-case hex SHA-256 of the canonical request.
    public static func hash(method: String, url: String, basePath: String = "") -> String {
        SHA256.hexHash(Array(canonicalRequest(method: method, url: url, basePath: basePath).utf8))
    }

    /// The `qsh` value for a raw path and query.
    public static func hash(method: String, path: String, query: String, basePath: String = "") -> String {
        SHA256.hexHash(Array(canonicalRequest(method: method, path: path, query: query, basePath: basePath).utf8))
    }

    /// The path relative to `basePath`, with leading and trailing slashes trimmed, `/` in front,
    /// and `&` written `%26`. An empty path is `/`.
    public static func canonicalPath(_ path: String, basePath: String = "") -> String {
        var relative = Substring(path)
        let base = basePath.hasSuffix("/") ? String(basePath.dropLast()) : basePath
        if !base.isEmpty, relative.hasPrefix(base) {
            let rest = relative.dropFirst(base.count)
            if rest.isEmpty || rest.hasPrefix("/") || rest.hasPrefix("?") { relative = rest }
        }
        let trimmed = relative.drop { $0 == "/" }.reversed().drop { $0 == "/" }.reversed()
        return "/" + String(trimmed).replacingAll("&", with: "%26")
    }

    /// The canonical query: `jwt` removed; names and values form-decoded then percent-encoded
    /// (RFC 3986 unreserved characters kept); values of a repeated name sorted by decoded text and
    /// joined with a literal comma; pairs sorted by encoded name; joined with `&`.
    public static func canonicalQuery(_ query: String) -> String {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for (name, value) in FormDecoding.pairs(query) where name != "jwt" {
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(value)
        }
        let encoded = order.map { name -> (name: [UInt8], values: String) in
            let sorted = values[name]!.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            return (Array(PercentEncoding.encodeUnreserved(name).utf8), sorted.map(PercentEncoding.encodeUnreserved).joined(separator: ","))
        }
        return encoded
            .sorted { $0.name.lexicographicallyPrecedes($1.name) }
            .map { String(decoding: $0.name, as: UTF8.self) + "=" + $0.values }
            .joined(separator: "&")
    }

    /// The raw path of an absolute or origin-relative URL, without query or fragment.
    public static func path(of url: String) -> String { splitURL(url).path }

    /// Splits a URL into its raw path and raw query, dropping scheme, authority and fragment.
    static func splitURL(_ url: String) -> (path: String, query: String) {
        var rest = Substring(url)
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://"),
           !rest[..<colon].contains(where: { $0 == "/" || $0 == "?" }) {
            rest = rest[rest.index(colon, offsetBy: 3)...]
            let pathStart = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            rest = rest[pathStart...]
        }
        guard let mark = rest.firstIndex(of: "?") else { return (String(rest), "") }
        return (String(rest[..<mark]), String(rest[rest.index(after: mark)...]))
    }
}
