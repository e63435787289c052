import ConfluenceAuthMock
import ConfluenceAuthMockTesting
import XCTest

final class SpacesTests: XCTestCase {
    func testCarolSeesNoSpace() async throws {
        let mock = try startMockConfluence(scenario: .bundled(.basicAuth))
        let client = MyConfluenceClient(baseURL: mock.siteURL(named: "acme")!, email: "carol@acme.test", apiToken: "carol-api-token")
        let keys = try await client.spaces()
        XCTAssertEqual(keys, [])
        mock.assertRequest(JournalFilter(path: "/wiki/rest/api/space", auth: .basic, decision: .allowed), count: 1)
    }
}
