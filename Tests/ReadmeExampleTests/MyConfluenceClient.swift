import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The client the README's examples test: the smallest URLSession client of Confluence's REST API
/// that a reader's own client stands in for. It signs in with an email and API token (basic auth)
/// or an OAuth access token.
struct MyConfluenceClient {
    /// A site's `/wiki` parent (`…/site/acme`) or the gateway's (`…/ex/confluence/{cloudId}`).
    let baseURL: URL
    var email: String?
    var apiToken: String?
    var accessToken: String?
    /// The session it sends with; a test may hand it the mock's in-process one.
    var session = URLSession(configuration: .ephemeral)

    init(baseURL: URL, email: String, apiToken: String) {
        self.baseURL = baseURL
        self.email = email
        self.apiToken = apiToken
    }

    init(baseURL: URL, accessToken: String) {
        self.baseURL = baseURL
        self.accessToken = accessToken
    }

    /// A status other than 2xx.
    struct Refused: Error, Equatable {
        let status: Int
    }

    /// The keys of the spaces the caller can see (`GET /wiki/rest/api/space`).
    func spaces() async throws -> [String] {
        let body = try await get("wiki/rest/api/space")
        let results = (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["results"] as? [[String: Any]] ?? []
        return results.compactMap { $0["key"] as? String }
    }

    /// A page's title (`GET /wiki/api/v2/pages/{id}`).
    func pageTitle(id: String) async throws -> String? {
        let body = try await get("wiki/api/v2/pages/\(id)")
        return (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["title"] as? String
    }

    /// The signed-in user's name (`GET /me` on `api.atlassian.com`, with an OAuth token).
    func me() async throws -> String? {
        let body = try await get("me")
        return (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["name"] as? String
    }

    /// What an app's OAuth callback does with a code: exchanges it at `POST /oauth/token` (on
    /// `auth.atlassian.com`, here `origin`) and returns the access token.
    static func exchange(code: String, at origin: URL, client: String, secret: String, redirectURI: String) async throws -> String {
        var request = URLRequest(url: origin.appendingPathComponent("oauth/token"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["grant_type": "authorization_code", "client_id": client, "client_secret": secret,
                                                                      "code": code, "redirect_uri": redirectURI])
        let body = try await send(request, with: URLSession(configuration: .ephemeral))
        guard let token = (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["access_token"] as? String else { throw Refused(status: 200) }
        return token
    }

    private func get(_ path: String) async throws -> Data {
        var request = URLRequest(url: baseURL.appendingPathComponent(path))
        if let email, let apiToken {
            request.setValue("Basic " + Data("\(email):\(apiToken)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        } else if let accessToken {
            request.setValue("Bearer \(accessToken)", forHTTPHeaderField: "Authorization")
        }
        return try await Self.send(request, with: session)
    }

    private static func send(_ request: URLRequest, with session: URLSession) async throws -> Data {
        let (body, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw Refused(status: status) }
        return body
    }
}
