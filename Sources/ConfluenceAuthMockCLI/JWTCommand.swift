import AuthMockCrypto
import AuthMockFormats
import ConfluenceAuthMock
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `jwt connect`: a Connect JWT as Confluence would send it to an app (HS256, `qsh` of the request).
enum JWTCommand {
    struct Request {
        var secret: String
        var issuer: String
        var method: String
        var url: String
        var basePath: String
        var subject: String?
        var ttl: Int
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        guard arguments.first == "connect" else { throw UsageError("jwt takes the kind of token first: jwt connect …") }
        var arguments = Arguments(Array(arguments.dropFirst()))
        func required(_ name: String) throws(UsageError) -> String {
            guard let value = try arguments.value(name) else { throw UsageError("jwt connect needs \(name)") }
            return value
        }
        let secret = try required("--shared-secret"), issuer = try required("--issuer")
        let method = try required("--method").uppercased(), url = try required("--url")
        let baseURL = try arguments.value("--base-url")
        let subject = try arguments.value("--subject")
        let ttlText = try arguments.value("--ttl") ?? "180"
        guard let ttl = Int(ttlText), ttl > 0, ttl <= Scenario.TokenSettings.maximumSeconds else {
            throw UsageError("--ttl must be a positive number of seconds, at most \(Scenario.TokenSettings.maximumSeconds) (ten years)")
        }
        try arguments.finish()
        return Request(secret: secret, issuer: issuer, method: method, url: url,
                       basePath: try basePath(url: url, baseURL: baseURL), subject: subject, ttl: ttl)
    }

    /// The base path the `qsh` is relative to: `--base-url`'s path, or `/wiki` when the URL's path
    /// starts with `/wiki/` (Confluence's context path), or none.
    static func basePath(url: String, baseURL: String?) throws(UsageError) -> String {
        guard let baseURL else { return QueryStringHash.path(of: url).hasPrefix("/wiki/") ? "/wiki" : "" }
        let base = QueryStringHash.path(of: baseURL)
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard trimmed.isEmpty || QueryStringHash.path(of: url) == trimmed || QueryStringHash.path(of: url).hasPrefix(trimmed + "/") else {
            throw UsageError("--url \(url) is not under --base-url \(baseURL)")
        }
        return trimmed
    }

    static func token(for request: Request, now: Int = time(nil)) throws -> String {
        let issuedAt = now
        var claims = JSONObject([
            ("iss", .string(request.issuer)),
            ("iat", .int(issuedAt)),
            ("exp", .int(issuedAt + request.ttl)),
            ("qsh", .string(QueryStringHash.hash(method: request.method, url: request.url, basePath: request.basePath))),
        ])
        if let subject = request.subject { claims["sub"] = .string(subject) }
        return try JWT.encode(claims: claims, key: HMACKey(secret: request.secret))
    }
}
