import AuthMockFormats
import AuthMockHTTP

/// An OAuth error answer: `{"error","error_description"}` with Atlassian's status (reference §1.8).
struct OAuthError: Error, Equatable {
    let status: HTTPStatus
    let error: String
    let description: String

    static let invalidRefreshToken = OAuthError(status: .forbidden, error: "invalid_grant", description: "Unknown or invalid refresh token.")
    static let invalidCode = OAuthError(status: .forbidden, error: "invalid_grant", description: "Invalid authorization code")

    var response: HTTPResponse {
        .json(.object(JSONObject([("error", .string(error)), ("error_description", .string(description))])), status: status,
              headers: ["Cache-Control": "no-store", "Pragma": "no-cache"])
    }
}
