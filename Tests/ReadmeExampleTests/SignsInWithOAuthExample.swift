import ConfluenceAuthMock
import ConfluenceAuthMockTesting
import Testing

@Test func signsInWithOAuth() async throws {
    try await withMockConfluence { mock throws in
        // The browser's part: /authorize signed in as Bob, the consent page accepted if the client shows one.
        let code = try mock.authorizationCode(client: "acme-sync-client", user: "bob@acme.test", scopes: ["read:me"], state: "s1")
        // Your app's part: it exchanges the code at POST /oauth/token with its redirect URI.
        let client = try await MyConfluenceClient.signIn(at: mock.baseURL, client: "acme-sync-client", secret: "acme-sync-secret",
                                                         code: code, redirectURI: "http://127.0.0.1:8765/callback")
        #expect(try await client.me() == "Bob Viewer")
    }
}
