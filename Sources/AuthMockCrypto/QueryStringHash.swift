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
            return (Array(percentEncode(name).utf8), sorted.map(percentEncode).joined(separator: ","))
        }
        return encoded
            .sorted { $0.name.lexicographicallyPrecedes($1.name) }
            .map { String(decoding: $0.name, as: UTF8.self) + "=" + $0.values }
            .joined(separator: "&")
    }

    /// RFC 3986 percent-encoding of every byte but the unreserved `A-Z a-z 0-9 - . _ ~`.
    public static func percentEncode(_ text: String) -> String {
        var output: [UInt8] = []
        for byte in text.utf8 {
            if isUnreserved(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(upperHex[Int(byte >> 4)])
                output.append(upperHex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default: false
        }
    }

    private static let upperHex = Array("0123456789ABCDEF".utf8)

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

/// `application/x-www-form-urlencoded` decoding (WHATWG URL §5.1), as Python's `parse_qsl` with
/// `keep_blank_values=True` does it: `&`-separated, empty pieces skipped, `+` is a space, `%XX`
/// decoded (invalid UTF-8 becomes U+FFFD), a malformed `%` kept literally.
public enum FormDecoding {
    /// The name-value pairs in order; a piece without `=` has an empty value.
    public static func pairs(_ query: some StringProtocol) -> [(String, String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { piece in
            guard let equals = piece.firstIndex(of: "=") else { return (decode(piece), "") }
            return (decode(piece[..<equals]), decode(piece[piece.index(after: equals)...]))
        }
    }

    /// Decodes one form component.
    public static func decode(_ component: some StringProtocol) -> String {
        let bytes = Array(component.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(0x20)
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var output = ""
        output.reserveCapacity(count)
        for character in self {
            if character == target { output += replacement } else { output.append(character) }
        }
        return output
    }
}
