import ConfluenceAuthMock
import ConfluenceAuthMockTesting
import Testing

@Test(.mockConfluence(.bundledDefault)) func listsSpacesAsBob() async throws {
    let mock = try #require(MockConfluence.current)
    let client = MyConfluenceClient(baseURL: mock.siteURL(named: "acme")!, email: "bob@acme.test", apiToken: "bob-api-token")
    #expect(try await client.spaces() == ["ENG"])
    mock.expectRequest(path: "/wiki/rest/api/space", principal: "bob@acme.test", count: 1)
}
