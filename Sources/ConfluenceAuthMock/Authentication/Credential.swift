import AuthMockFormats
import AuthMockHTTP

/// What a request presents to prove who it is, read once from `Authorization` (or a Connect
/// `?jwt=`) and nothing verified yet. This is the only place the mock reads `Authorization`;
/// every stage after it (fault matching, the verifiers, the admin guard, OAuth client
/// authentication) works from this value.
enum Credential: Equatable, Sendable {
    /// No `Authorization` header and no `jwt` query parameter.
    case none
    /// `Authorization: Basic` decoded to `user:secret`, split at the first colon (an email and an
    /// API token on a site; a client id and secret at the token endpoint).
    case basic(user: String, secret: String)
    /// `Authorization: Basic` whose value is not base64 of UTF-8 text with a colon; `user` is
    /// what it names before any colon, decoded leniently (for fault matching only), or empty.
    case malformedBasic(user: String)
    /// `Authorization: Bearer <token>`: an OAuth, Forge or impersonation access token, the admin
    /// token, or an API token sent by mistake. Which one is the verifiers' to find out.
    case bearer(String)
    /// A Connect JWT: `Authorization: JWT <token>`, or the `jwt` query parameter of a request
    /// without an `Authorization` header (docs/reference.md §4.1).
    case connectJWT(String)
    /// Another scheme, named as sent.
    case otherScheme(String)

    /// Reads the credential of `request`. The scheme is compared case-insensitively (RFC 9110
    /// §11.1) and the spaces after it are skipped.
    static func parse(_ request: HTTPRequest) -> Credential {
        parse(authorization: request.headers["Authorization"], jwtParameter: request.queryValue("jwt"))
    }

    /// Reads a credential from an `Authorization` value, else a `jwt` query parameter (as a
    /// journal entry keeps them).
    static func parse(authorization header: String?, jwtParameter: String?) -> Credential {
        guard let header else { return jwtParameter.map(Credential.connectJWT) ?? .none }
        let utf8 = header.utf8
        let schemeEnd = header.firstIndex(ofASCII: UInt8(ascii: " ")) ?? utf8.endIndex
        let scheme = String(Substring(utf8[..<schemeEnd]))
        let value = Substring(utf8[schemeEnd...].drop { $0 == UInt8(ascii: " ") })
        // Compared in place rather than through `lowercased()`, which builds a string per request.
        if scheme.equalsIgnoringASCIICase("basic") { return basic(value) }
        if scheme.equalsIgnoringASCIICase("bearer") { return .bearer(String(value)) }
        if scheme.equalsIgnoringASCIICase("jwt") && !value.isEmpty { return .connectJWT(String(value)) }
        return .otherScheme(scheme)
    }

    private static func basic(_ value: Substring) -> Credential {
        // On bytes: a colon is one byte in UTF-8, and each side must be valid UTF-8 on its own.
        guard let decoded = Base64.decode(value) else { return .malformedBasic(user: "") }
        let colon = decoded.firstIndex(of: UInt8(ascii: ":"))
        // Validated through buffer pointers: the concrete path, not the generic one for slices.
        func text(_ range: Range<Int>) -> String? {
            decoded.withUnsafeBufferPointer { String(validating: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
        }
        guard let colon, let user = text(0..<colon), let secret = text((colon + 1)..<decoded.count)
        else { return .malformedBasic(user: String(decoding: decoded[..<(colon ?? decoded.endIndex)], as: UTF8.self)) }
        return .basic(user: user, secret: secret)
    }

    /// The bearer token, when the credential is one.
    var bearerToken: String? { if case .bearer(let token) = self { token } else { nil } }

    /// The kind of credential as fault matching and rate limits name it (`auth` in a scenario); a
    /// `Bearer` header with no token counts as none.
    var kind: AuthKind {
        switch self {
        case .basic, .malformedBasic: .basic
        case .bearer(let token): token.isEmpty ? .noCredential : .bearer
        case .connectJWT: .jwt
        case .none, .otherScheme: .noCredential
        }
    }
}
