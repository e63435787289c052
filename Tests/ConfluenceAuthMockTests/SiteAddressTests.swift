import AuthMockFormats
import AuthMockHTTP
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// One origin stands in for every site: by Host, by /site/{name}, and through the gateway.
@Suite struct SiteAddressTests {
    static let scenario: Scenario = {
        var scenario = Scenario.bundledDefault
        scenario.sites.append(Site(name: "globex", cloudId: "b7f3c2d1-0000-4000-8000-000000000002", url: "https://globex.atlassian.net"))
        return scenario
    }()

    private func address(_ target: String, host: String? = nil) throws -> SiteAddress? {
        var headers: HTTPHeaders = [:]
        if let host { headers.set("Host", host) }
        return SiteAddress.resolve(try HTTPRequest(method: "GET", target: target, headers: headers), among: Self.scenario.sites)
    }

    @Test func resolvesEachDoor() throws {
        #expect(try address("/site/globex/wiki/rest/api/space")?.site.name == "globex")
        #expect(try address("/site/globex/wiki/rest/api/space")?.path == "/wiki/rest/api/space")
        #expect(try address("/site/globex")?.path == "/")
        #expect(try address("/site/nowhere/wiki") == nil)
        let gateway = try address("/ex/confluence/B7F3C2D1-0000-4000-8000-000000000002/wiki/api/v2/pages")
        #expect(gateway?.site.name == "globex" && gateway?.door == .gateway && gateway?.path == "/wiki/api/v2/pages")
        #expect(try address("/ex/confluence/00000000-0000-4000-8000-000000000000/wiki") == nil)
        #expect(try address("/wiki/rest/api/space", host: "globex.atlassian.net:443")?.site.name == "globex")
        #expect(try address("/wiki/rest/api/space", host: "127.0.0.1:8080")?.site.name == "acme", "unknown hosts go to the first site")
        #expect(try address("/wiki/rest/api/space")?.door == .site)
    }

    @Test func tenantInfoAnswersWithoutCredentialsOnEachSitesDomain() throws {
        let mock = try MockConfluence.start(scenario: Self.scenario)
        defer { mock.stop() }
        let byHost = try runProcess("curl", ["-sS", "-H", "Host: globex.atlassian.net", "\(mock.baseURLString)/_edge/tenant_info"])
        #expect(try JSONValue.parse(byHost.stdout) == ["cloudId": "b7f3c2d1-0000-4000-8000-000000000002"])
        let byPrefix = try runProcess("curl", ["-sS", "\(mock.siteURLString(named: "acme")!)/_edge/tenant_info"])
        #expect(try JSONValue.parse(byPrefix.stdout) == ["cloudId": "a436116f-02ce-4520-8fbb-7301462a1674"])
        let byDefault = try runProcess("curl", ["-sS", "\(mock.baseURLString)/_edge/tenant_info"])
        #expect(try JSONValue.parse(byDefault.stdout)["cloudId"] == "a436116f-02ce-4520-8fbb-7301462a1674")
        let unknown = try runProcess("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "\(mock.baseURLString)/site/nowhere/_edge/tenant_info"])
        #expect(unknown.stdout == "404")
        let gateway = try runProcess("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}",
                                              "\(mock.baseURLString)/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674/_edge/tenant_info"])
        #expect(gateway.stdout == "404", "tenant_info is a site-domain path, not a gateway one")
        let wrongMethod = try runProcess("curl", ["-sS", "-X", "POST", "-o", "/dev/null", "-w", "%{http_code}", "\(mock.baseURLString)/_edge/tenant_info"])
        #expect(wrongMethod.stdout == "405")
    }
}
