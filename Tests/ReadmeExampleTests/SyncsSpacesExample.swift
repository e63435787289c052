import ConfluenceAuthMock
import ConfluenceAuthMockTesting
import Testing

@Test func syncsSpaces() async throws {
    try await withMockConfluence(scenario: .bundledDefault) { mock throws in
        let client = MyConfluenceClient(baseURL: mock.siteURL(named: "acme")!, email: "alice@acme.test", apiToken: "alice-api-token")
        #expect(try await client.spaces() == ["ENG", "HR"])
        mock.expectRequest(method: "GET", path: "/wiki/rest/api/space*", count: 1)   // lists what was received when unmet
    }
}
