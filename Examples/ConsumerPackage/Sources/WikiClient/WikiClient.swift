import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small Confluence Cloud client over URLSession: basic auth with an API token on a site, or an
/// OAuth 2.0 (3LO) access token through the API gateway.
public struct WikiClient: Sendable {
    /// How the client signs its requests.
    public enum Credential: Sendable {
        case apiToken(email: String, token: String)
        case accessToken(String)
    }

    /// The site's base (`https://acme.atlassian.net`) or the gateway's (`…/ex/confluence/{cloudId}`).
    public let baseURL: URL
    public let credential: Credential

    public init(baseURL: URL, credential: Credential) {
        self.baseURL = baseURL
        self.credential = credential
    }

    public func spaces() async throws -> [Space] {
        struct List: Decodable { let results: [Space] }
        return try await get(List.self, "wiki/rest/api/space").results
    }

    public func page(id: String) async throws -> Page { try await get(Page.self, "wiki/api/v2/pages/\(id)") }

    public func currentUser() async throws -> User { try await get(User.self, "wiki/rest/api/user/current") }

    /// Creates a page in a space (`POST /wiki/rest/api/content`).
    public func createPage(spaceKey: String, title: String, body: String) async throws -> Page {
        let payload: [String: Any] = ["type": "page", "title": title, "space": ["key": spaceKey],
                                      "body": ["storage": ["value": body, "representation": "storage"]]]
        var request = URLRequest(url: baseURL.appendingPathComponent("wiki/rest/api/content"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: payload)
        return try await send(request, as: Page.self)
    }

    private func get<Value: Decodable>(_ type: Value.Type, _ path: String) async throws -> Value {
        try await send(URLRequest(url: baseURL.appendingPathComponent(path)), as: type)
    }

    private func send<Value: Decodable>(_ request: URLRequest, as type: Value.Type) async throws -> Value {
        var request = request
        switch credential {
        case .apiToken(let email, let token):
            request.setValue("Basic " + Data("\(email):\(token)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        case .accessToken(let token):
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        return try await HTTP.decode(type, from: request)
    }
}

/// The client's OAuth 2.0 (3LO) app: exchanges an authorization code and refreshes tokens at
/// `auth.atlassian.com`, and lists what a token may call at `api.atlassian.com`.
public struct OAuthClient: Sendable {
    public let clientId: String
    public let clientSecret: String
    public let redirectURI: String
    /// `https://auth.atlassian.com` (the mock serves it at its base URL).
    public let authorizationServer: URL
    /// `https://api.atlassian.com` (likewise).
    public let apiServer: URL

    public init(clientId: String, clientSecret: String, redirectURI: String, authorizationServer: URL, apiServer: URL) {
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
        self.authorizationServer = authorizationServer
        self.apiServer = apiServer
    }

    /// What the app's callback does with `?code=`.
    public func exchange(code: String) async throws -> TokenResponse {
        try await token(["grant_type": "authorization_code", "code": code, "redirect_uri": redirectURI])
    }

    public func refresh(_ refreshToken: String) async throws -> TokenResponse {
        try await token(["grant_type": "refresh_token", "refresh_token": refreshToken])
    }

    public func accessibleResources(_ accessToken: String) async throws -> [Site] {
        var request = URLRequest(url: apiServer.appendingPathComponent("oauth/token/accessible-resources"))
        request.setValue("Bearer \(accessToken)", forHTTPHeaderField: "Authorization")
        return try await HTTP.decode([Site].self, from: request)
    }

    public func profile(_ accessToken: String) async throws -> Profile {
        var request = URLRequest(url: apiServer.appendingPathComponent("me"))
        request.setValue("Bearer \(accessToken)", forHTTPHeaderField: "Authorization")
        return try await HTTP.decode(Profile.self, from: request)
    }

    private func token(_ fields: [String: String]) async throws -> TokenResponse {
        var request = URLRequest(url: authorizationServer.appendingPathComponent("oauth/token"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: fields.merging(["client_id": clientId, "client_secret": clientSecret]) { $1 })
        return try await HTTP.decode(TokenResponse.self, from: request)
    }
}

/// Sending and decoding, shared by both clients.
enum HTTP {
    static func decode<Value: Decodable>(_ type: Value.Type, from request: URLRequest) async throws -> Value {
        let (body, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw Fault.status(status) }
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            throw Fault.unreadable
        }
    }
}
