import AuthMockFormats

/// Atlassian Connect's query-string hash (`qsh` claim): SHA-256 of a canonical request
/// `METHOD&canonical-path&canonical-query` (docs/reference.md §4.3).
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
        String(decoding: canonicalRequestBytes(method: method, path: path, pairs: pairs, basePath: basePath), as: UTF8.self)
    }

    /// The `qsh` value for a raw path and query parameters already form-decoded: what a server
    /// compares a request's `qsh` claim with (built as bytes, never as intermediate strings, since
    /// it runs on every Connect request).
    public static func hash(method: String, path: String, pairs: [(String, String)], basePath: String = "") -> String {
        SHA256.hexHash(canonicalRequestBytes(method: method, path: path, pairs: pairs, basePath: basePath))
    }

    static func canonicalRequestBytes(method: String, path: String, pairs: [(String, String)], basePath: String) -> [UInt8] {
        var canonical: [UInt8] = []
        canonical.reserveCapacity(method.utf8.count + path.utf8.count + 64)
        // Upper-cased as ASCII: a method is a token (RFC 9110 §9.1), never other text.
        for byte in method.utf8 { canonical.append(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte) }
        canonical.append(UInt8(ascii: "&"))
        appendCanonicalPath(path, basePath: basePath, to: &canonical)
        canonical.append(UInt8(ascii: "&"))
        appendCanonicalQuery(pairs: pairs, to: &canonical)
        return canonical
    }

    /// The `qsh` value: lower-case hex SHA-256 of the canonical request.
    public static func hash(method: String, url: String, basePath: String = "") -> String {
        let (path, query) = splitURL(url)
        return hash(method: method, path: path, query: query, basePath: basePath)
    }

    /// The `qsh` value for a raw path and query.
    public static func hash(method: String, path: String, query: String, basePath: String = "") -> String {
        hash(method: method, path: path, pairs: FormDecoding.pairs(query), basePath: basePath)
    }

    /// The path relative to `basePath`, with leading and trailing slashes trimmed, `/` in front,
    /// and `&` written `%26`. An empty path is `/`.
    public static func canonicalPath(_ path: String, basePath: String = "") -> String {
        var canonical: [UInt8] = []
        appendCanonicalPath(path, basePath: basePath, to: &canonical)
        return String(decoding: canonical, as: UTF8.self)
    }

    private static func appendCanonicalPath(_ path: String, basePath: String, to canonical: inout [UInt8]) {
        // Bytes, not Characters, and views rather than copies: this runs on every Connect request.
        let slash = UInt8(ascii: "/")
        var relative = path.utf8[...]
        var base = basePath.utf8[...]
        if base.last == slash { base = base.dropLast() }
        if !base.isEmpty, relative.starts(with: base) {
            let rest = relative.dropFirst(base.count)
            if rest.first == nil || rest.first == slash || rest.first == UInt8(ascii: "?") { relative = rest }
        }
        while relative.first == slash { relative = relative.dropFirst() }
        while relative.last == slash { relative = relative.dropLast() }
        canonical.append(slash)
        for byte in relative {
            if byte == UInt8(ascii: "&") { canonical.append(contentsOf: "%26".utf8) } else { canonical.append(byte) }
        }
    }

    /// The canonical query: `jwt` removed; names and values form-decoded then percent-encoded
    /// (RFC 3986 unreserved characters kept); values of a repeated name sorted by decoded text and
    /// joined with a literal comma; pairs sorted by encoded name; joined with `&`.
    public static func canonicalQuery(_ query: String) -> String { canonicalQuery(pairs: FormDecoding.pairs(query)) }

    /// The canonical query of parameters already form-decoded (an HTTP request's query).
    public static func canonicalQuery(pairs: [(String, String)]) -> String {
        var canonical: [UInt8] = []
        appendCanonicalQuery(pairs: pairs, to: &canonical)
        return String(decoding: canonical, as: UTF8.self)
    }

    private static func appendCanonicalQuery(pairs: [(String, String)], to canonical: inout [UInt8]) {
        // Sorted by encoded name, then by decoded value, one group per name: the same order as
        // grouping first, without a dictionary (this runs on every Connect request).
        var entries: [(name: [UInt8], value: String)] = []
        entries.reserveCapacity(pairs.count)
        for (name, value) in pairs where name != "jwt" {
            var encoded: [UInt8] = []
            PercentEncoding.appendUnreserved(name, to: &encoded)
            entries.append((encoded, value))
        }
        entries.sort { left, right in
            if left.name != right.name { return left.name.lexicographicallyPrecedes(right.name) }
            return left.value.utf8.lexicographicallyPrecedes(right.value.utf8)
        }
        for (index, entry) in entries.enumerated() {
            if index > 0 && entries[index - 1].name == entry.name {
                canonical.append(UInt8(ascii: ","))
            } else {
                if index > 0 { canonical.append(UInt8(ascii: "&")) }
                canonical.append(contentsOf: entry.name)
                canonical.append(UInt8(ascii: "="))
            }
            PercentEncoding.appendUnreserved(entry.value, to: &canonical)
        }
    }

    /// The raw path of an absolute or origin-relative URL, without query or fragment.
    public static func path(of url: String) -> String { splitURL(url).path }

    /// Splits a URL into its raw path and raw query, dropping scheme, authority and fragment.
    static func splitURL(_ url: String) -> (path: String, query: String) {
        // Bytes, not Characters: the delimiters are ASCII, so a URL splits where its bytes say
        // (a combining mark after `?` must not hide it), and no grapheme breaking is paid for.
        let slash = UInt8(ascii: "/"), mark = UInt8(ascii: "?")
        var rest = url.utf8[...]
        if let fragment = rest.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<fragment] }
        if let colon = rest.firstIndex(of: UInt8(ascii: ":")), rest[colon...].starts(with: "://".utf8),
           !rest[..<colon].contains(where: { $0 == slash || $0 == mark }) {
            rest = rest[rest.index(colon, offsetBy: 3)...]
            rest = rest[(rest.firstIndex { $0 == slash || $0 == mark } ?? rest.endIndex)...]
        }
        guard let question = rest.firstIndex(of: mark) else { return (String(Substring(rest)), "") }
        return (String(Substring(rest[..<question])), String(Substring(rest[rest.index(after: question)...])))
    }
}
