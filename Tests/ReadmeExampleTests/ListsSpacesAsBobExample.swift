import ConfluenceAuthMock
import ConfluenceAuthMockTesting
import Testing

@Test(.mockConfluence(.bundledDefault)) func listsSpacesAsBob() async throws {
    let mock = try #require(MockConfluence.current)
    let bob = Scenario.Default.bob
    let client = MyConfluenceClient(baseURL: mock.siteURL(named: "acme")!, email: bob.email, apiToken: bob.apiToken)
    #expect(try await client.spaces() == ["ENG"])
    mock.expectRequest(path: "/wiki/rest/api/space", principal: bob.email, count: 1)
}
