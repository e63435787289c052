import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Every bundled scenario as a Swift value, and the default scenario's names as constants.
@Suite struct BundledScenarioTests {
    @Test func everyScenarioFileIsBundledAndLoads() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("scenarios").path)
            .filter { $0.hasSuffix(".json") && $0 != "schema.json" }.sorted()
        #expect(Scenario.Bundled.allCases.map { "\($0.rawValue).json" }.sorted() == files)
        #expect(BundledFiles.scenarios.keys.sorted() == files)
        for file in Scenario.Bundled.allCases {
            let onDisk = try Scenario.load(contentsOfFile: repositoryRoot.appendingPathComponent("scenarios/\(file.rawValue).json").path)
            #expect(Scenario.bundled(file) == onDisk, "\(file.rawValue)")
        }
        #expect(Scenario.bundled(.sequenceThenRecover).faults.count == 1)
        #expect(Scenario.bundledDefault == Scenario.bundled(.default))
    }

    @Test func aBundledScenarioServes() throws {
        let mock = try MockConfluence.start(scenario: .bundled(.rateLimitedTenant))
        defer { mock.stop() }
        #expect(try runProcess("curl", ["-sS", "\(mock.baseURLString)/__admin/health"]).stdout == #"{"status":"ok","scenario":"rate-limited-tenant"}"#)
    }

    @Test func lookupsByEmailAccountIdAndName() {
        let scenario = Scenario.bundledDefault
        #expect(scenario.user("BOB@acme.test")?.accountId == "5b10a2844c20165700ede21g", "emails compare case-insensitively")
        #expect(scenario.user("5b10a2844c20165700ede21g")?.email == "bob@acme.test")
        #expect(scenario.user("nobody@acme.test") == nil)
        #expect(scenario.site(named: "acme")?.cloudId == "a436116f-02ce-4520-8fbb-7301462a1674")
        #expect(scenario.site(named: "globex") == nil)
        #expect(scenario.oauthClient(id: "acme-sync-client")?.clientSecret == "acme-sync-secret")
        #expect(scenario.oauthClient(id: "nobody") == nil)
    }

    /// Each constant of `Scenario.Default` is what default.json says.
    @Test func theDefaultScenariosNamesMatchTheFile() throws {
        let scenario = Scenario.bundledDefault
        typealias Names = Scenario.Default
        for person in [Names.alice, Names.bob, Names.carol] {
            let user = try #require(scenario.user(person.accountId))
            #expect(user.email == person.email && user.displayName == person.displayName && user.password == person.password)
            #expect(user.apiTokens.map(\.token) == [person.apiToken] + (person.scopedAPIToken.map { [$0] } ?? []))
        }
        #expect(scenario.users.count == 3)
        let site = try #require(scenario.site(named: Names.acme.name))
        #expect(site.cloudId == Names.acme.cloudId && site.url == Names.acme.url && scenario.sites.count == 1)
        #expect(site.spaces.map { Names.SpaceIdentity(key: $0.key, id: $0.id, pageIds: $0.pages.map(\.id)) } == [Names.engineering, Names.people])
        let client = try #require(scenario.oauthClient(id: Names.oauthClient.clientId))
        #expect(client.clientSecret == Names.oauthClient.clientSecret && client.redirectUris.first == Names.oauthClient.redirectURI)
        let app = try #require(scenario.connectApps.first)
        #expect(app.key == Names.connectApp.key && scenario.connectApps.count == 1)
        #expect(app.installations.map { [$0.clientKey, $0.sharedSecret, $0.oauthClientId] }
                == [[Names.connectApp.clientKey, Names.connectApp.sharedSecret, Names.connectApp.oauthClientId]])
        let forge = try #require(scenario.forgeApps.first)
        #expect(forge.id == Names.forgeApp.id && forge.installations.map(\.id) == [Names.forgeApp.installationId])
        #expect(forge.remotes[Names.forgeApp.remote] != nil)
    }
}
