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
        canonicalRequest(method: method, path: path, pairs: FormDecoding.pairs(query), basePath: basePath)
    }

    /// The canonical request for a raw path and query parameters already form-decoded (an HTTP
    /// request's query, so a server need not decode it twice).
    public static func canonicalRequest(method: String, path: String, pairs: [(String, String)], basePath: String = "") -> String {
        "\(method.uppercased())&\(canonicalPath(path, basePath: basePath))&\(canonicalQuery(pairs: pairs))"
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
        // Bytes, not Characters: this runs on every Connect request.
        let slash = UInt8(ascii: "/")
        var relative = Array(path.utf8)[...]
        var base = Array(basePath.utf8)[...]
        if base.last == slash { base = base.dropLast() }
        if !base.isEmpty, relative.starts(with: base) {
            let rest = relative.dropFirst(base.count)
            if rest.first == nil || rest.first == slash || rest.first == UInt8(ascii: "?") { relative = rest }
        }
        while relative.first == slash { relative = relative.dropFirst() }
        while relative.last == slash { relative = relative.dropLast() }
        var canonical: [UInt8] = [slash]
        canonical.reserveCapacity(relative.count + 1)
        for byte in relative {
            if byte == UInt8(ascii: "&") { canonical.append(contentsOf: "%26".utf8) } else { canonical.append(byte) }
        }
        return String(decoding: canonical, as: UTF8.self)
    }

    /// The canonical query: `jwt` removed; names and values form-decoded then percent-encoded
    /// (RFC 3986 unreserved characters kept); values of a repeated name sorted by decoded text and
    /// joined with a literal comma; pairs sorted by encoded name; joined with `&`.
    public static func canonicalQuery(_ query: String) -> String { canonicalQuery(pairs: FormDecoding.pairs(query)) }

    /// The canonical query of parameters already form-decoded (an HTTP request's query).
    public static func canonicalQuery(pairs: [(String, String)]) -> String {
        // Sorted by encoded name, then by decoded value, one group per name: the same order as
        // grouping first, without a dictionary (this runs on every Connect request).
        var entries: [(name: [UInt8], value: String)] = []
        entries.reserveCapacity(pairs.count)
        for (name, value) in pairs where name != "jwt" { entries.append((Array(PercentEncoding.encodeUnreserved(name).utf8), value)) }
        entries.sort { left, right in
            if left.name != right.name { return left.name.lexicographicallyPrecedes(right.name) }
            return left.value.utf8.lexicographicallyPrecedes(right.value.utf8)
        }
        var canonical: [UInt8] = []
        for (index, entry) in entries.enumerated() {
            if index > 0 && entries[index - 1].name == entry.name {
                canonical.append(UInt8(ascii: ","))
            } else {
                if index > 0 { canonical.append(UInt8(ascii: "&")) }
                canonical.append(contentsOf: entry.name)
                canonical.append(UInt8(ascii: "="))
            }
            canonical.append(contentsOf: PercentEncoding.encodeUnreserved(entry.value).utf8)
        }
        return String(decoding: canonical, as: UTF8.self)
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
