import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// A mock's run-time state survives a restart (docs/state.md): saved to a file, exported and
/// imported over the admin API and in Swift, and signing keys fixed by the scenario.
@Suite struct SavedStateTests {
    static let alice = ReadResourcesTests.alice
    static let gatewayPage = BoundedStateTests.gateway
    static let refreshFields = ["grant_type": "refresh_token", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret"]

    /// The default scenario with its Connect app's hooks pointing at a closed port, so a
    /// lifecycle call fails at once (the secret still rotates).
    static func scenario() -> Scenario {
        var scenario = Scenario.bundledDefault
        scenario.connectApps[0].baseUrl = "http://127.0.0.1:9"
        return scenario
    }

    static func stateFile() throws -> String { try makeTemporaryDirectory().appendingPathComponent("state.json").path }

    @Test func aRestartedMockHonoursTokensRefreshesPagesSecretsAndTheClock() throws {
        let file = try Self.stateFile()
        let options = MockServerOptions(stateFile: file)
        let before = try MockConfluence.start(scenario: Self.scenario(), options: options)
        let tokens = try before.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", offline: true))
        let created = try WriteResourcesTests.send(before, "POST", "/wiki/rest/api/content", as: Self.alice,
                                                   json: #"{"type":"page","title":"Made before the restart","space":{"key":"ENG"}}"#)
        let pageID = try #require(try JSONValue.parse(created.body)["id"]?.stringValue)
        _ = try before.sendLifecycle(LifecycleRequest(app: "com.example.addon", site: "acme", event: .enabled, rotateSecret: true))
        let rotated = try #require(before.connectInstallation(app: "com.example.addon", site: "acme")?.installation.sharedSecret)
        #expect(rotated != ConnectRequestTests.secret)
        before.advanceClock(by: .seconds(600))
        let jwks = try ReadResourcesTests.get(before, "/.well-known/jwks.json").body
        let saved = try before.saveState()
        let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int
        #expect(saved.path == file && saved.bytes == size)
        before.stop()

        // A new mock, even one given another scenario: the saved state, scenario included, wins.
        let after = try MockConfluence.start(scenario: .bundled(.basicAuth), options: options)
        defer { after.stop() }
        #expect(after.scenario == Self.scenario())
        #expect(try BoundedStateTests.bearer(after, tokens.accessToken).status == 200, "the access token is still held")
        #expect(try ReadResourcesTests.get(after, "/.well-known/jwks.json").body == jwks, "the same signing key")
        let refreshed = try OAuthFlowTests.token(after, Self.refreshFields.merging(["refresh_token": try #require(tokens.refreshToken)]) { $1 })
        #expect(refreshed.status == 200 && refreshed.json?["refresh_token"]?.stringValue != tokens.refreshToken)
        let page = try ReadResourcesTests.get(after, "/wiki/rest/api/content/\(pageID)", as: Self.alice)
        #expect(page.status == 200 && page.json?["title"] == "Made before the restart")
        let url = "/wiki/rest/api/space"
        #expect(try ConnectRequestTests.call(after, "GET", url, token: ConnectRequestTests.token(after, "GET", url, secret: rotated)).status == 200,
                "the rotated secret verifies")
        #expect(try ConnectRequestTests.call(after, "GET", url, token: ConnectRequestTests.token(after, "GET", url)).status == 401,
                "the secret it replaced does not")
        let ahead = after.nowSecondsSince1970 - Date().timeIntervalSince1970
        #expect(ahead > 590 && ahead < 610, "the clock is still ten minutes ahead of real time")
    }

    @Test func exportAndImportCarryTheStateBetweenMocks() throws {
        let first = try MockConfluence.start()
        defer { first.stop() }
        let token = try first.mintToken(TokenRequest(user: "bob@acme.test", client: "acme-sync-client")).accessToken
        let faultID = try first.addFault(Fault(match: FaultMatch(path: "/wiki/rest/api/space", times: 1), outcome: FaultOutcome(respond: CannedResponse(status: 503))))
        #expect(try ReadResourcesTests.get(first, "/wiki/rest/api/space", as: Self.alice).status == 503)

        let second = try MockConfluence.start(scenario: .bundled(.basicAuth))
        defer { second.stop() }
        let put = try ReadResourcesTests.send(second, "PUT", "/__admin/state", json: try ReadResourcesTests.get(first, "/__admin/state").body)
        #expect(put.status == 200 && put.json?["restored"] == true && put.json?["scenario"]?.stringValue == first.scenario.displayName)
        #expect(try BoundedStateTests.bearer(second, token).status == 200)
        #expect(second.faults.map(\.id) == [faultID])
        #expect(try ReadResourcesTests.get(second, "/wiki/rest/api/space", as: Self.alice).status == 200, "the fault's one time was used up before the export")
        #expect(second.exportState()["tokens"] == first.exportState()["tokens"])
    }

    @Test func aBadStateIsRefusedWholeWithThePathOfEachProblem() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let token = try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client")).accessToken
        guard case .object(var state) = mock.exportState(), case .object(var tokens)? = state["tokens"],
              case .array(var access)? = tokens["accessTokens"], case .object(var entry) = access[0], case .object(var grant)? = entry["grant"] else {
            Issue.record("unexpected export shape")
            return
        }
        grant["expiresAt"] = "soon"
        entry["grant"] = .object(grant)
        access[0] = .object(entry)
        tokens["accessTokens"] = .array(access)
        state["tokens"] = .object(tokens)
        state["version"] = 2
        state["extra"] = true
        let answer = try ReadResourcesTests.send(mock, "PUT", "/__admin/state", json: JSONValue.object(state).serialized)
        #expect(answer.status == 400)
        let paths = answer.json?["details"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        #expect(Set(paths) == ["extra", "version"], "the header is checked first: \(answer.body)")
        state["version"] = 1
        state["extra"] = nil
        #expect(throws: MockConfluence.StateError(file: nil, issues: [ScenarioIssue(path: "tokens.accessTokens[0].grant.expiresAt", message: "expected a number, found a string")])) {
            try mock.importState(.object(state))
        }
        #expect(try BoundedStateTests.bearer(mock, token).status == 200, "the current state keeps serving")
    }

    @Test func countersAndTimesAreBoundedSoNothingOverflowsLater() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        guard case .object(var state) = mock.exportState(), case .object(var content)? = state["content"], case .object(var clock)? = state["clock"] else {
            Issue.record("unexpected export shape")
            return
        }
        state["faultCounters"] = ["f1": ["seen": .int(Int.max), "fired": 0, "random": "1"]]
        state["nextFaultId"] = .int(Int.max)
        content["nextPageId"] = .int(1 << 41)
        state["content"] = .object(content)
        clock["now"] = .double(1e300)
        state["clock"] = .object(clock)
        do {
            try mock.importState(.object(state))
            Issue.record("a state whose counters would overflow was taken")
        } catch {
            #expect(Set(error.issues.map(\.path)) == ["faultCounters.f1.seen", "nextFaultId", "content.nextPageId", "clock.now"], "\(error)")
        }
    }

    @Test func savingNeedsAStateFileAndAnswersWhereAndHowMuch() throws {
        let plain = try MockConfluence.start()
        defer { plain.stop() }
        let refused = try ReadResourcesTests.send(plain, "POST", "/__admin/state/save")
        #expect(refused.status == 409 && refused.json?["error"]?.stringValue?.contains("--state FILE") == true && refused.json?["details"] == [])
        #expect(throws: MockConfluence.StateFileError.self) { try plain.saveState() }

        let file = try Self.stateFile()
        let kept = try MockConfluence.start(options: MockServerOptions(stateFile: file))
        defer { kept.stop() }
        let saved = try ReadResourcesTests.send(kept, "POST", "/__admin/state/save")
        let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int
        #expect(saved.status == 200 && saved.json?["saved"]?.stringValue == file && saved.json?["bytes"]?.intValue == size)
        let permissions = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(permissions == 0o600, "it holds every secret the mock knows")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (file as NSString).deletingLastPathComponent)
        #expect(leftovers == ["state.json"], "no temporary file is left behind")
    }

    @Test func aStateFileThatDoesNotLoadStopsTheStartAndIsLeftAlone() throws {
        let file = try Self.stateFile()
        let text = #"{"format": "confluence-auth-mock state", "version": 1, "scenario": {"sites": []}}"#
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let mock = try MockConfluence(scenario: .bundledDefault, options: MockServerOptions(stateFile: file))
        do {
            try mock.start()
            Issue.record("started from a state that does not load")
        } catch let error as MockConfluence.StateError {
            #expect(error.file == file)
            #expect(error.lines.contains("\(file): scenario.sites: at least one site is needed"), "\(error)")
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == text)
    }

    @Test func aStateFileInAFolderThatCannotBeWrittenStopsTheStart() throws {
        let mock = try MockConfluence(scenario: .bundledDefault, options: MockServerOptions(stateFile: "/no/such/folder/state.json"))
        #expect(throws: MockConfluence.StateFileError(description: "cannot save the state to /no/such/folder/state.json: the folder /no/such/folder does not exist")) {
            try mock.start()
        }
    }

    // MARK: Fixed keys

    static func keyedScenario(_ keys: KeySettings) -> Scenario {
        var scenario = Scenario.bundledDefault
        scenario.keys = keys
        return scenario
    }

    @Test func aSeedMakesReplicasPublishOneJWKSAndAcceptEachOthersTokens() throws {
        let scenario = Self.keyedScenario(KeySettings(seed: "replicas of one mock"))
        let one = try MockConfluence.start(scenario: scenario), two = try MockConfluence.start(scenario: scenario)
        let plain = try MockConfluence.start()
        defer { [one, two, plain].forEach { $0.stop() } }
        for path in ["/.well-known/jwks.json", "/forge/.well-known/jwks.json"] {
            let jwks = try ReadResourcesTests.get(one, path).body
            #expect(try ReadResourcesTests.get(two, path).body == jwks)
            #expect(try ReadResourcesTests.get(plain, path).body != jwks, "the process's own key is another")
        }
        let token = try one.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: ["read:page:confluence"], sites: ["acme"]))
        #expect(try BoundedStateTests.bearer(two, token.accessToken).status == 200, "minted by one replica, accepted by the other")
        #expect(two.requests().last?.auth.principal == "5b10ac8d82e05b22cc7d4ef5")
        #expect(try BoundedStateTests.bearer(plain, token.accessToken).status == 401, "a mock with other keys does not know it")
        two.advanceClock(by: .seconds(3_601))
        #expect(try BoundedStateTests.bearer(two, token.accessToken).status == 401, "expiry still applies")
    }

    @Test func aPEMWinsOverTheSeedAndABadOneIsRefusedWithItsPath() throws {
        let pem = try String(contentsOf: repositoryRoot.appendingPathComponent("certs/ca-key.pem"), encoding: .utf8)
        let mock = try MockConfluence.start(scenario: Self.keyedScenario(KeySettings(seed: "s", oauth: pem)))
        defer { mock.stop() }
        let published = try #require(try ReadResourcesTests.get(mock, "/.well-known/jwks.json").json?["keys"]?.arrayValue?.first?["n"]?.stringValue)
        let modulus = try runProcess("openssl", ["rsa", "-in", repositoryRoot.appendingPathComponent("certs/ca-key.pem").path, "-noout", "-modulus"]).stdout
        let expected = modulus.split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(Data(base64URL: published).map { $0.map { String(format: "%02X", $0) }.joined() } == expected)

        do {
            _ = try Self.keyedScenario(KeySettings(forge: "not a key")).validated()
            Issue.record("a forge key that is not a PEM was accepted")
        } catch {
            #expect(error.issues.map(\.path) == ["keys.forge"])
            #expect(error.issues.first?.message.hasPrefix("expected a PEM RSA private key of at least 2048 bits") == true, "\(error)")
        }
    }
}

private extension Data {
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
