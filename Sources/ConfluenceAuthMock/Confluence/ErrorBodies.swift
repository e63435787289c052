import AuthMockFormats
import AuthMockHTTP

/// Which REST surface a site path belongs to: Confluence's error shapes follow it.
enum APISurface: Equatable {
    case v1, v2, other

    static func of(sitePath path: String) -> APISurface {
        if path.hasPrefix("/wiki/api/v2/") || path == "/wiki/api/v2" { return .v2 }
        if path.hasPrefix("/wiki/rest/api/") || path == "/wiki/rest/api" { return .v1 }
        return .other
    }
}

/// Confluence's error bodies, built in one place (docs/reference.md §3.4, §3.5, §2.4).
enum ConfluenceErrors {
    /// REST v1: `{"statusCode", "data"?, "message", "reason"?}` (newer Cloud errors omit `data`).
    static func v1(_ status: HTTPStatus, _ message: String, data: JSONObject? = nil, reason: String? = nil) -> HTTPResponse {
        var body = JSONObject([("statusCode", .int(status.code))])
        if let data { body["data"] = .object(data) }
        body["message"] = .string(message)
        if let reason { body["reason"] = .string(reason) }
        return .json(.object(body), status: status)
    }

    /// REST v2: `{"errors":[{"status","code","title","detail"}]}`.
    static func v2(_ status: HTTPStatus, code: String, title: String, detail: String? = nil) -> HTTPResponse {
        let error = JSONObject([("status", .int(status.code)), ("code", .string(code)), ("title", .string(title)),
                                ("detail", detail.map { .string($0) } ?? .null)])
        return .json(["errors": [.object(error)]], status: status)
    }

    /// The API gateway: `{"code":401,"message":"Unauthorized"}` and `…; scope does not match`.
    static func gateway(_ status: HTTPStatus, _ message: String) -> HTTPResponse {
        .json(.object(JSONObject([("code", .int(status.code)), ("message", .string(message))])), status: status)
    }

    /// v1's permission refusal, as Cloud words it for a write it forbids (docs/reference.md §3.4).
    static let permissionData = JSONObject([("authorized", JSONValue.bool(false)), ("valid", .bool(true)), ("errors", .array([])), ("successful", .bool(false))])
}

/// Why a request's credentials were refused, before any permission is looked at.
enum AuthenticationFailure: Equatable {
    /// No `Authorization` header where one is needed.
    case missing
    /// Wrong, revoked or unknown token (or an email the scenario lacks: the same answer, so
    /// nothing tells whether an account exists).
    case badToken
    /// A password where an API token belongs.
    case password
    /// An API token sent as `Authorization: Bearer`.
    case apiTokenAsBearer
    /// A scoped API token on the site's own domain (it works only through the gateway).
    case scopedTokenOnSite
    /// Too many failures in a row: locked behind a CAPTCHA until a reset.
    case captcha
}

extension ConfluenceErrors {
    /// The answer to a refused credential, by profile and REST surface (docs/reference.md §3.2, §3.3, §2.5).
    static func authentication(_ failure: AuthenticationFailure, profile: Profile, surface: APISurface, site: Site, path: String) -> HTTPResponse {
        switch failure {
        case .apiTokenAsBearer:
            return .text("Failed to parse Connect Session Auth Token", status: .forbidden)
        case .scopedTokenOnSite:
            return tomcatUnauthorized()
        case .captcha:
            var response = v1(.forbidden, "Authentication denied: a CAPTCHA challenge must be completed in a browser")
            response.headers.set("X-Seraph-LoginReason", "AUTHENTICATION_DENIED")
            response.headers.set("X-Authentication-Denied-Reason", "CAPTCHA_CHALLENGE; login-url=\(site.url)/login.jsp")
            return response
        case .missing, .badToken, .password:
            return profile == .cloud2021 ? cloud2021(failure, site: site) : cloud2026(surface: surface, path: path)
        }
    }

    /// 2026-08 measurements: every bad or absent credential looks like a caller without access.
    private static func cloud2026(surface: APISurface, path: String) -> HTTPResponse {
        switch surface {
        case .v2:
            return v2(.notFound, code: "NOT_FOUND", title: "Not Found")
        case .v1, .other:
            if path.hasPrefix("/wiki/rest/api/search") { return v1(.forbidden, "Current user not permitted to use Confluence") }
            return v1(.forbidden, #"com.atlassian.confluence.mvc.rest.common.exception.StacklessResponseStatusException: 403 FORBIDDEN "Request rejected because caller cannot access Confluence""#)
        }
    }

    /// 2020–2021: 401s that say what was wrong.
    private static func cloud2021(_ failure: AuthenticationFailure, site: Site) -> HTTPResponse {
        switch failure {
        case .password:
            return .text("Basic authentication with passwords is deprecated.  For more information, see: https://confluence.atlassian.com/cloud/deprecation-of-basic-authentication-with-passwords-for-jira-and-confluence-apis-972355348.html\n",
                         status: .unauthorized)
        case .badToken:
            // docs/reference.md records the header, not a body: Seraph's filter answers without one.
            return HTTPResponse(status: .unauthorized, headers: ["X-Seraph-LoginReason": "AUTHENTICATED_FAILED"])
        default:
            let realm = PercentEncoding.encodeUnreserved(site.url + "/wiki")
            return .html("<html><head><title>Unauthorized</title></head><body><h1>Unauthorized</h1></body></html>\n", status: .unauthorized,
                         headers: ["WWW-Authenticate": "OAuth realm=\"\(realm)\""])
        }
    }

    /// What the site's Tomcat answers a scoped token with (docs/reference.md §2.5): HTML, no JSON.
    private static func tomcatUnauthorized() -> HTTPResponse {
        .html("<!doctype html><html lang=\"en\"><head><title>HTTP Status 401 – Unauthorized</title></head><body><h1>HTTP Status 401 – Unauthorized</h1></body></html>",
              status: .unauthorized)
    }
}
