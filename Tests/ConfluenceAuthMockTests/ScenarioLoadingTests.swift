import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

@Suite struct ScenarioLoadingTests {
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/ConfluenceAuthMockTests/Fixtures/broken")
    static let expected: [String: [String]] = {
        let data = try! Data(contentsOf: fixtures.appendingPathComponent("expected.json"))
        return try! JSONDecoder().decode([String: [String]].self, from: data)
    }()

    @Test func thereAreEnoughBrokenFixtures() { #expect(Self.expected.count >= 25) }

    /// Each broken file is refused with exactly its expected messages, every line naming the file.
    @Test(arguments: expected.keys.sorted())
    func brokenScenarioIsRefusedWithItsMessages(_ name: String) {
        let path = Self.fixtures.appendingPathComponent(name).path
        do {
            _ = try Scenario.load(contentsOfFile: path)
            Issue.record("\(name) loaded, but it is broken")
        } catch {
            let wanted = Self.expected[name]!.map { "\(path): \($0)" }
            #expect(error.lines.sorted() == wanted.sorted(), "\(name):\n\(error.description)")
        }
    }

    @Test func everyBundledScenarioLoads() throws {
        let folder = repositoryRoot.appendingPathComponent("scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") && $0 != "schema.json" }
        #expect(files.contains("default.json"))
        for file in files {
            let scenario = try Scenario.load(contentsOfFile: folder.appendingPathComponent(file).path)
            #expect(scenario.description?.isEmpty == false, "\(file) needs a description")
        }
    }

    @Test func aMissingFileIsReportedWithItsName() {
        let error = #expect(throws: ScenarioError.self) { try Scenario.load(contentsOfFile: "/nonexistent/acme.json") }
        #expect(error?.lines == ["/nonexistent/acme.json: $: cannot read the file: No such file or directory"])
    }

    @Test(arguments: Scenario.Bundled.allCases)
    func roundTripsThroughItsJSON(_ file: Scenario.Bundled) throws {
        let scenario = try Scenario.load(contentsOfFile: repositoryRoot.appendingPathComponent("scenarios/\(file.rawValue).json").path)
        #expect(try Scenario.decode(scenario.json) == scenario)
        #expect(try Scenario.load(json: scenario.json.serialized) == scenario)
    }

    @Test func codableGoesThroughTheStrictLoader() throws {
        let scenario = try Scenario.load(contentsOfFile: repositoryRoot.appendingPathComponent("scenarios/default.json").path)
        let data = try JSONEncoder().encode(scenario)
        #expect(try JSONDecoder().decode(Scenario.self, from: data) == scenario)
        let broken = Data(#"{"sites": [], "usres": []}"#.utf8)
        #expect {
            try JSONDecoder().decode(Scenario.self, from: broken)
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.debugDescription.contains("usres: unknown key \"usres\"; did you mean \"users\"?")
        }
    }

    @Test func aScenarioBuiltInSwiftIsValidatedByTheSameRules() throws {
        var scenario = Scenario(name: "code", sites: [Site(name: "acme", cloudId: "a436116f-02ce-4520-8fbb-7301462a1674", url: "https://acme.atlassian.net",
                                                           spaces: [Space(key: "ENG", name: "Engineering", id: "1")])],
                                users: [User(accountId: "u1", email: "u1@acme.test", displayName: "U1", sites: ["acme": ["ENG": [.view]]])])
        #expect(try scenario.validated() == scenario)
        scenario.users[0].sites = ["globex": [:]]
        let error = #expect(throws: ScenarioError.self) { try scenario.validated() }
        #expect(error?.lines == ["users[0].sites.globex: unknown site \"globex\"; expected one of acme"])
    }

    @Test func iso8601ParsesAndFormats() {
        #expect(ISO8601.parse("2026-01-01T00:00:00Z") == 1_767_225_600)
        #expect(ISO8601.parse("2026-01-01T01:30:00+01:30") == 1_767_225_600)
        #expect(ISO8601.parse("2026-01-01T00:00:00.250Z") == 1_767_225_600.25)
        #expect(ISO8601.parse("2026-02-30T00:00:00Z") == nil)
        #expect(ISO8601.parse("2026-01-01 00:00:00") == nil)
        #expect(ISO8601.format(1_767_225_600) == "2026-01-01T00:00:00Z")
        #expect(ISO8601.format(1_767_225_600.25, milliseconds: true) == "2026-01-01T00:00:00.250Z")
    }
}
