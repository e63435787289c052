import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// scenarios/schema.json describes exactly the format the loader reads.
@Suite struct SchemaTests {
    static let schemaPath = repositoryRoot.appendingPathComponent("scenarios/schema.json").path
    static let schema: JSONValue = try! JSONValue.parse(Array(try! Data(contentsOf: URL(fileURLWithPath: schemaPath))))

    /// Each model type's keys, next to the schema definition that must list exactly them.
    static let modelKeys: [(definition: String, keys: [String])] = [
        ("site", Site.keys), ("space", Space.keys), ("page", Page.keys), ("user", User.keys),
        ("scopedApiToken", APIToken.keys), ("siteAccess", User.siteAccessKeys), ("oauthClient", OAuthClient.keys),
        ("consent", Consent.keys), ("connectApp", ConnectApp.keys), ("lifecycle", ConnectApp.lifecycleEvents),
        ("connectInstallation", ConnectInstallation.keys), ("forgeApp", ForgeApp.keys), ("forgeEnvironment", ForgeApp.environmentKeys),
        ("forgeInstallation", ForgeInstallation.keys), ("clock", ClockSettings.keys), ("tokens", TokenSettings.keys),
        ("basicAuth", BasicAuthSettings.keys), ("oauth", OAuthSettings.keys), ("serviceAccount", ServiceAccount.keys), ("serviceAccountCredential", ServiceAccount.OAuthCredential.keys), ("response", CannedResponse.keys), ("match", FaultMatch.keys),
        ("outcome", FaultOutcome.keys), ("fault", Fault.keys), ("rateLimit", RateLimit.keys), ("resource", CustomResource.keys),
        ("keys", KeySettings.keys),
    ]

    /// Definitions of single values rather than objects, shared by several object definitions.
    static let valueDefinitions = ["scope"]

    private static func properties(_ definition: JSONValue?) -> [String] {
        definition?["properties"]?.objectValue?.keys ?? []
    }

    @Test func topLevelKeysMatch() {
        #expect(Set(Self.properties(Self.schema)) == Set(Scenario.keys))
        #expect(Self.schema["additionalProperties"] == false)
    }

    @Test(arguments: modelKeys.map(\.definition))
    func definitionListsExactlyTheModelsKeys(_ definition: String) {
        let keys = Self.modelKeys.first { $0.definition == definition }!.keys
        let schemaDefinition = Self.schema["$defs"]?[definition]
        #expect(schemaDefinition != nil, "schema has no $defs/\(definition)")
        #expect(Set(Self.properties(schemaDefinition)) == Set(keys), "\(definition)")
        #expect(schemaDefinition?["additionalProperties"] == false, "\(definition) must refuse unknown keys, as the loader does")
    }

    @Test func everyDefinitionIsCoveredByAModelType() {
        let definitions = Set(Self.schema["$defs"]?.objectValue?.keys ?? [])
        #expect(definitions == Set(Self.modelKeys.map(\.definition) + Self.valueDefinitions))
    }

    /// Every bundled scenario passes both the loader (ScenarioLoadingTests) and the schema.
    @Test func bundledScenariosPassTheSchema() throws {
        try requirePythonModules(["jsonschema"])
        let folder = repositoryRoot.appendingPathComponent("scenarios").path
        let script = """
        import json, sys, glob, os, jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        files = sorted(f for f in glob.glob(os.path.join(sys.argv[2], "*.json")) if not f.endswith("schema.json"))
        for f in files:
            jsonschema.validate(json.load(open(f)), schema)
        print(len(files))
        """
        let result = try runProcess("python3", ["-c", script, Self.schemaPath, folder])
        #expect(result.status == 0, "\(result.stderr)")
        #expect((Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 1)
    }

    /// The schema refuses what the loader refuses for rate limits: counting keys in their match.
    @Test func theSchemaRefusesACountingRateLimit() throws {
        try requirePythonModules(["jsonschema"])
        let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        base = {"sites": [{"name": "a", "cloudId": "a436116f-02ce-4520-8fbb-7301462a1674", "url": "https://a.atlassian.net"}]}
        ok = dict(base, rateLimits=[{"match": {"path": "/wiki/*"}, "limit": 1, "windowSeconds": 60}])
        bad = dict(base, rateLimits=[{"match": {"path": "/wiki/*", "every": 2}, "limit": 1, "windowSeconds": 60}])
        jsonschema.validate(ok, schema)
        try:
            jsonschema.validate(bad, schema)
            print("accepted")
        except jsonschema.ValidationError:
            print("refused")
        """
        let result = try runProcess("python3", ["-c", script, Self.schemaPath])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "refused")
    }

    @Test func embeddedCopiesEqualTheFiles() throws {
        for (name, embedded) in BundledFiles.scenarios.sorted(by: { $0.key < $1.key }) + [("schema.json", BundledFiles.schema)] {
            let onDisk = try String(contentsOfFile: repositoryRoot.appendingPathComponent("scenarios/\(name)").path, encoding: .utf8)
            #expect(embedded + "\n" == onDisk, "\(name) changed: run scripts/embed-bundled.sh")
        }
        #expect(try Scenario.load(json: BundledFiles.defaultScenario).name == "default")
        for (file, embedded) in [("certs/ca.pem", BundledFiles.testCACertificate), ("certs/ca-key.pem", BundledFiles.testCAPrivateKey)] {
            let onDisk = try String(contentsOfFile: repositoryRoot.appendingPathComponent(file).path, encoding: .utf8)
            #expect(embedded + "\n" == onDisk, "\(file) changed: run scripts/embed-bundled.sh")
        }
    }
}
