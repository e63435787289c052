import AuthMockFormats
import AuthMockHTTP

/// An OAuth error answer: `{"error","error_description"}` with Atlassian's status (docs/reference.md §1.8).
struct OAuthError: Error, Equatable {
    let status: HTTPStatus
    let error: String
    let description: String

    static let invalidRefreshToken = OAuthError(status: .forbidden, error: "invalid_grant", description: "Unknown or invalid refresh token.")
    static let invalidCode = OAuthError(status: .forbidden, error: "invalid_grant", description: "Invalid authorization code")
    /// A client that did not authenticate (unknown, or a wrong or missing secret): 401
    /// `access_denied` "Unauthorized", as Cloud answers today (docs/reference.md §8.1); the
    /// cloud-2021 profile keeps RFC 6749's `invalid_client` with the same description.
    static func clientRefused(_ profile: Scenario.Profile) -> OAuthError {
        OAuthError(status: .unauthorized, error: profile == .cloud2021 ? "invalid_client" : "access_denied", description: "Unauthorized")
    }

    static func badRequest(_ error: String, _ description: String) -> OAuthError { OAuthError(status: .badRequest, error: error, description: description) }
    static func invalidGrant(_ description: String) -> OAuthError { OAuthError(status: .badRequest, error: "invalid_grant", description: description) }
    static func missing(_ parameters: String) -> OAuthError { .badRequest("invalid_request", "Missing required parameter: \(parameters)") }
    static func unsupportedGrantType(_ grantType: String) -> OAuthError { .badRequest("unsupported_grant_type", "Grant type \(grantType) is not supported") }

    /// A token endpoint's answer (`/oauth/token` and `/oauth2/token` alike), with the journal
    /// record's decision: the token JSON with `Cache-Control: no-store`, or this error.
    static func answer(_ result: Result<JSONValue, OAuthError>, record: inout AuthRecord) -> HTTPResponse {
        switch result {
        case .success(let json):
            record.decision = .allowed
            return .json(json, headers: ["Cache-Control": "no-store", "Pragma": "no-cache"])
        case .failure(let error):
            record.deny("\(error.error): \(error.description)")
            return error.response
        }
    }

    var response: HTTPResponse {
        .json(.object(JSONObject([("error", .string(error)), ("error_description", .string(description))])), status: status,
              headers: ["Cache-Control": "no-store", "Pragma": "no-cache"])
    }
}
