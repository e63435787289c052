import ConfluenceAuthMock
import ConfluenceAuthMockTesting
import Testing

@Test func signsInWithOAuth() async throws {
    try await withMockConfluence { mock throws in
        // The browser's part: /authorize signed in as Bob, the consent page accepted if the client shows one.
        let code = try mock.authorizationCode(client: "acme-sync-client", user: "bob@acme.test", scopes: ["read:me"], state: "s1")
        // Your app's part: it exchanges the code at POST /oauth/token with its redirect URI.
        let token = try await MyConfluenceClient.exchange(code: code, at: mock.baseURL, client: "acme-sync-client", secret: "acme-sync-secret",
                                                          redirectURI: "http://127.0.0.1:8765/callback")
        #expect(try await MyConfluenceClient(baseURL: mock.baseURL, accessToken: token).me() == "Bob Viewer")

        // Or the whole dance in one call, with a refresh token:
        let tokens = try mock.oauthTokens(client: "acme-sync-client", user: "bob@acme.test", scopes: ["read:me", "offline_access"])
        #expect(tokens.refreshToken != nil)
    }
}
