import ConfluenceAuthMock
import ConfluenceAuthMockTesting
import Foundation
import Testing

@Test func readsAPageAtItsProductionURL() async throws {
    let mock = try MockConfluence.start()
    defer { mock.stop() }
    let alice = Scenario.Default.alice
    // The client as it ships, with Atlassian's URL; only its session comes from the mock.
    var client = MyConfluenceClient(baseURL: URL(string: "https://acme.atlassian.net")!, email: alice.email, apiToken: alice.apiToken)
    client.session = mock.urlSession()
    #expect(try await client.pageTitle(id: "1001") == "Runbook")
    #expect(mock.requests().first?.transport == .inProcess)
}
