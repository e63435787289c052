import AuthMockFormats

/// How a request reached the server.
public enum HTTPTransport: String, Sendable {
    /// A TCP connection, plain or TLS.
    case socket
    /// Handed over in the same process, with no socket (a URL session's protocol class).
    case inProcess = "in-process"
}

/// How a client addressed the server as a proxy.
public enum ProxyForm: Sendable, Equatable {
    /// `CONNECT host:port`: a tunnel to that host.
    case connect(host: String, port: Int)
    /// A request whose target is a whole URL (`GET http://host/path`), for that host.
    case absolute(host: String)
}

/// One parsed HTTP request: plain values, no I/O.
///
/// A value type whose fields live in one immutable box that copies share: a request passes through
/// many stages, and handing it on then costs one reference count where copying its dozen counted
/// fields cost a dozen (docs/performance.md). Changing a field, which few stages do, makes a new box.
public struct HTTPRequest: Sendable {
    private var box: Box

    /// The method token as sent (methods are case-sensitive, RFC 9110 §9.1).
    public var method: String { get { box.fields.method } set { change { $0.method = newValue } } }
    /// The request target exactly as sent (`/wiki/rest/api/space?limit=5`).
    public var target: String { get { box.fields.target } set { change { $0.target = newValue } } }
    /// The path as sent, still percent-encoded (what Connect's QSH hashes).
    public var rawPath: String { get { box.fields.rawPath } set { change { $0.rawPath = newValue } } }
    /// The path percent-decoded (what routes match).
    public var path: String { get { box.fields.path } set { change { $0.path = newValue } } }
    /// The query string as sent, without the `?`.
    public var rawQuery: String { get { box.fields.rawQuery } set { change { $0.rawQuery = newValue } } }
    /// Query parameters form-decoded, repeated names kept in order.
    public var query: [(name: String, value: String)] { get { box.fields.query } set { change { $0.query = newValue } } }
    /// `HTTP/1.1` or `HTTP/1.0`.
    public var version: HTTPVersion { get { box.fields.version } set { change { $0.version = newValue } } }
    public var headers: HTTPHeaders { get { box.fields.headers } set { change { $0.headers = newValue } } }
    public var body: [UInt8] { get { box.fields.body } set { change { $0.body = newValue } } }
    /// `true` when the request arrived over TLS.
    public var isSecure: Bool { get { box.fields.isSecure } set { change { $0.isSecure = newValue } } }
    /// The peer's address as text (`127.0.0.1:54321`).
    public var remoteAddress: String { get { box.fields.remoteAddress } set { change { $0.remoteAddress = newValue } } }
    /// The host the client addressed, when the request did not come to the server as its own
    /// origin: through an in-process transport (a URL session answered without a socket). `nil`
    /// for ordinary requests, whose `Host` is whatever the client sent.
    public var addressedHost: String? { get { box.fields.addressedHost } set { change { $0.addressedHost = newValue } } }
    /// How the request reached the server.
    public var transport: HTTPTransport { get { box.fields.transport } set { change { $0.transport = newValue } } }
    /// How the client addressed a proxy, if it did: `CONNECT host:port`, or a URL as the target
    /// (absolute form). `nil` for an ordinary (origin-form) request.
    public var proxyForm: ProxyForm? { get { box.fields.proxyForm } set { change { $0.proxyForm = newValue } } }

    public init(method: String, target: String, version: HTTPVersion = .http11, headers: HTTPHeaders = [:],
                body: [UInt8] = [], isSecure: Bool = false, remoteAddress: String = "") throws(HTTPParseError) {
        let path: String, rawPath: String, rawQuery: String, query: [(name: String, value: String)], proxyForm: ProxyForm?
        if method == "CONNECT" {
            // Authority form (RFC 9112 §3.2.3): the tunnel's host and port, and nothing else.
            let (host, port) = try Self.authority(target)
            (path, rawPath, rawQuery, query, proxyForm) = (target, target, "", [], .connect(host: host, port: port))
        } else {
            (rawPath, rawQuery) = try Self.splitTarget(target)
            proxyForm = target.hasPrefix("/") || target == "*" ? nil : .absolute(host: Self.host(ofURL: target) ?? "")
            guard let decoded = PercentEncoding.decodeStrictly(rawPath), !decoded.containsUTF8Byte(where: { $0 == 0 }) else {
                throw HTTPParseError(.badRequest, "request path has invalid percent-encoding")
            }
            path = decoded
            query = FormDecoding.pairs(rawQuery).map { (name: $0.0, value: $0.1) }
        }
        // Built in place: a `Fields` variable filled in first was copied into the box.
        box = Box(Fields(method: method, target: target, rawPath: rawPath, path: path, rawQuery: rawQuery, query: query, version: version,
                         headers: headers, body: body, isSecure: isSecure, remoteAddress: remoteAddress, proxyForm: proxyForm))
    }

    /// Changes a field in a box of this request's own.
    private mutating func change(_ update: (inout Fields) -> Void) {
        var fields = box.fields
        update(&fields)
        box = Box(fields)
    }

    /// `host:port` of a CONNECT, the host lower-cased (an IPv6 address in brackets).
    static func authority(_ target: String) throws(HTTPParseError) -> (String, Int) {
        let refusal = HTTPParseError(.badRequest, "CONNECT needs a host and port (host:443), not \"\(target.prefix(100))\"")
        guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]), (1...65535).contains(port) else { throw refusal }
        let host = target[..<colon].lowercased()
        let bracketed = host.hasPrefix("[") && host.hasSuffix("]")
        guard !host.isEmpty, bracketed || !host.contains(":"),
              host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._:[]".contains($0)) }) else { throw refusal }
        return (host, port)
    }

    /// The lower-cased host of an absolute `http` or `https` URL, without port or user
    /// information (an IPv6 address keeps its brackets); `nil` for anything else or an empty host.
    public static func host(ofURL url: String) -> String? {
        let lower = url.lowercased()
        guard let scheme = ["https://", "http://"].first(where: lower.hasPrefix) else { return nil }
        let authority = lower.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.split(separator: "@").last ?? ""
        let host = hostAndPort.hasPrefix("[") ? hostAndPort.prefix { $0 != "]" } + "]" : hostAndPort.prefix { $0 != ":" }
        return host.isEmpty ? nil : String(host)
    }

    /// Origin-form (`/p?q`), absolute-form (`http://h/p?q`, RFC 9112 §3.2.2) and `*` for OPTIONS.
    static func splitTarget(_ target: String) throws(HTTPParseError) -> (path: String, query: String) {
        var rest = Substring(target)
        if !rest.hasPrefix("/") && rest != "*" {
            let lower = rest.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
                throw HTTPParseError(.badRequest, "request target must be a path or an absolute URL")
            }
            rest = rest.drop { $0 != ":" }.dropFirst(3)
            rest = rest[(rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex)...]
            if !rest.hasPrefix("/") { rest = "/" + rest }
        }
        guard let mark = rest.firstIndex(ofASCII: UInt8(ascii: "?")) else { return (String(rest), "") }
        return (String(rest[..<mark]), String(rest[rest.utf8.index(after: mark)...]))
    }

    /// The first value of a query parameter.
    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// Every value of a query parameter, in order.
    public func queryValues(_ name: String) -> [String] { query.filter { $0.name == name }.map(\.value) }

    /// The value of the cookie `name` in the `Cookie` header, as sent; `nil` when there is none.
    public func cookie(_ name: String) -> String? {
        for header in headers.values("Cookie") {
            // Cookie pairs are separated by "; " (RFC 6265 §4.2.1).
            for pair in header.split(separator: ";") {
                let parts = pair.drop { $0 == " " }.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2, parts[0] == name { return String(parts[1]) }
            }
        }
        return nil
    }

    /// The media type of `Content-Type`, lower-cased, without parameters (`application/json`).
    public var mediaType: String? {
        headers["Content-Type"].map { trimOWS($0.split(separator: ";", maxSplits: 1).first ?? "").lowercased() }
    }

    /// The body as `application/x-www-form-urlencoded` pairs.
    public var formBody: [(name: String, value: String)] {
        FormDecoding.pairs(String(decoding: body, as: UTF8.self)).map { (name: $0.0, value: $0.1) }
    }

    /// The body parsed as JSON.
    public func jsonBody() throws(JSONParseError) -> JSONValue { try JSONValue.parse(body) }

    /// The body as UTF-8 text (invalid sequences replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

extension HTTPRequest {
    /// What a request stores.
    fileprivate struct Fields: Sendable {
        var method: String
        var target: String
        var rawPath: String
        var path: String
        var rawQuery: String
        var query: [(name: String, value: String)]
        var version: HTTPVersion
        var headers: HTTPHeaders
        var body: [UInt8]
        var isSecure: Bool
        var remoteAddress: String
        var addressedHost: String?
        var transport = HTTPTransport.socket
        var proxyForm: ProxyForm?
    }

    /// The fields copies of a request share; never changed once made.
    fileprivate final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }
}

/// The HTTP versions the server speaks.
public enum HTTPVersion: String, Sendable {
    case http10 = "HTTP/1.0"
    case http11 = "HTTP/1.1"
}
