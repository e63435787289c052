import AuthMockCrypto
import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// The lifetimes in a scenario's `tokens` that Connect and Forge tokens are issued with.
@Suite struct TokenLifetimeSettingsTests {
    static let lifetimeKeys = ["connectJwtLifetime", "impersonationTokenLifetime", "forgeAppTokenLifetime", "forgeInvocationTokenLifetime"]

    /// The bundled default scenario with `tokens` replaced by `tokens`, loaded from its JSON.
    static func scenario(tokens: JSONObject) throws -> Scenario {
        var object = try #require(Scenario.bundledDefault.json.objectValue)
        object["tokens"] = .object(tokens)
        return try Scenario.load(json: JSONValue.object(object).serialized)
    }

    /// `exp` minus `iat` of a JWT.
    static func lifetime(_ token: some StringProtocol) throws -> Int? {
        let claims = try JWT.decode(String(token)).claims
        guard let exp = claims["exp"]?.intValue, let iat = claims["iat"]?.intValue else { return nil }
        return exp - iat
    }

    @Test func defaultsAreTodaysLifetimes() {
        let tokens = TokenSettings()
        #expect(tokens.connectJwtLifetime == 180 && tokens.impersonationTokenLifetime == 900)
        #expect(tokens.forgeAppTokenLifetime == 7200 && tokens.forgeInvocationTokenLifetime == 25)
    }

    @Test func lifetimesAreReadAndWrittenBack() throws {
        let scenario = try Self.scenario(tokens: JSONObject([("connectJwtLifetime", 45), ("impersonationTokenLifetime", 120),
                                                             ("forgeAppTokenLifetime", 600), ("forgeInvocationTokenLifetime", 60)]))
        #expect(scenario.tokens.connectJwtLifetime == 45 && scenario.tokens.impersonationTokenLifetime == 120)
        #expect(scenario.tokens.forgeAppTokenLifetime == 600 && scenario.tokens.forgeInvocationTokenLifetime == 60)
        #expect(scenario.json["tokens"]?["forgeInvocationTokenLifetime"]?.intValue == 60)
        #expect(try Scenario.decode(scenario.json) == scenario)
        #expect(scenario.tokens == TokenSettings(connectJwtLifetime: 45, impersonationTokenLifetime: 120, forgeAppTokenLifetime: 600,
                                                 forgeInvocationTokenLifetime: 60), "the initialiser names what differs; the rest default")
    }

    @Test(arguments: lifetimeKeys)
    func aLifetimeBelowOneOrNotANumberIsRefused(_ key: String) {
        let zero = #expect(throws: ScenarioError.self) { try Self.scenario(tokens: JSONObject([(key, 0)])) }
        #expect(zero?.lines == ["tokens.\(key): expected a whole number of at least 1, found 0"])
        let text = #expect(throws: ScenarioError.self) { try Self.scenario(tokens: JSONObject([(key, "1h")])) }
        #expect(text?.lines == ["tokens.\(key): expected a whole number, found a string"])
    }

    @Test func impersonationTokensLiveTheScenariosLifetime() throws {
        var scenario = try ConnectRequestTests.connectScenario()
        scenario.tokens.impersonationTokenLifetime = 120
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let answer = try ConnectTokenTests.grant(mock, try ConnectTokenTests.assertion(mock))
        #expect(answer.status == 200 && answer.json?["expires_in"]?.intValue == 120)
        let token = try #require(answer.json?["access_token"]?.stringValue)
        let page = "/wiki/api/v2/pages/1001"
        mock.advanceClock(by: .seconds(110))
        #expect(try ReadResourcesTests.get(mock, page, headers: ["Authorization: Bearer \(token)"]).status == 200)
        mock.advanceClock(by: .seconds(10))
        #expect(ConnectRequestTests.failure(try ReadResourcesTests.get(mock, page, headers: ["Authorization: Bearer \(token)"])) == "expired")
    }

    @Test func forgeAppTokensLiveTheScenariosLifetime() throws {
        var scenario = Scenario.bundledDefault
        scenario.tokens.forgeAppTokenLifetime = 600
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let system = try mock.forgeToken(ForgeTokenRequest(app: ForgeTests.app, site: "acme", kind: .system))
        #expect(system.expiresIn == 600)
        #expect(try Self.lifetime(system.token) == 600)
        let minted = try AdminAPITests.call(mock, "POST", "/__admin/forge/tokens", body: #"{"app":"\#(ForgeTests.app)","site":"acme","kind":"user","user":"bob@acme.test"}"#)
        #expect(minted.status == 200 && minted.json?["expires_in"]?.intValue == 600)
        mock.advanceClock(by: .seconds(590))
        #expect(try ForgeTests.gateway(mock, "/wiki/api/v2/pages/1001", system.token).status == 200)
        mock.advanceClock(by: .seconds(10))
        #expect(try ForgeTests.gateway(mock, "/wiki/api/v2/pages/1001", system.token).status == 401)
    }

    @Test func anInvocationCarriesTokensOfTheScenariosLifetimes() throws {
        let remote = try ConnectLifecycleTests.FakeApp()
        defer { remote.server.stop() }
        remote.answer(with: 200)
        var scenario = Scenario.bundledDefault
        scenario.forgeApps[0].remotes = ["backend": remote.baseUrl]
        scenario.tokens.forgeInvocationTokenLifetime = 60
        scenario.tokens.forgeAppTokenLifetime = 900
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let result = try mock.invokeForgeRemote(ForgeInvocationRequest(app: ForgeTests.app, site: "acme", remote: "backend", user: "bob@acme.test"))
        #expect(result.status == 200)
        let call = try #require(remote.requests.last)
        #expect(try Self.lifetime(try #require(call.authorization(scheme: "Bearer"))) == 60)
        #expect(try Self.lifetime(try #require(call.headers["x-forge-oauth-system"])) == 900)
        #expect(try Self.lifetime(try #require(call.headers["x-forge-oauth-user"])) == 900)
    }

    @Test func productJWTsDefaultToTheScenariosLifetimeAndTtlOverridesIt() throws {
        var scenario = Scenario.bundledDefault
        scenario.tokens.connectJwtLifetime = 45
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        #expect(try Self.lifetime(try mock.connectJWT(ProductJWTRequest(app: "com.example.addon", site: "acme", context: true))) == 45)
        #expect(try Self.lifetime(try mock.connectJWT(ProductJWTRequest(app: "com.example.addon", site: "acme", context: true, ttl: 300))) == 300)
        let admin = try AdminAPITests.call(mock, "POST", "/__admin/connect/jwt", body: #"{"app":"com.example.addon","site":"acme","context":true}"#)
        #expect(try Self.lifetime(try #require(admin.json?["token"]?.stringValue)) == 45)
        let explicit = try AdminAPITests.call(mock, "POST", "/__admin/connect/jwt", body: #"{"app":"com.example.addon","site":"acme","context":true,"ttl":60}"#)
        #expect(try Self.lifetime(try #require(explicit.json?["token"]?.stringValue)) == 60)
    }

    @Test func lifecycleHooksCarryTheScenariosLifetime() throws {
        let app = try ConnectLifecycleTests.FakeApp()
        defer { app.server.stop() }
        var scenario = Scenario.bundledDefault
        scenario.connectApps[0].baseUrl = app.baseUrl
        scenario.tokens.connectJwtLifetime = 45
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        for event in [LifecycleEvent.installed, .disabled] {
            _ = try mock.sendLifecycle(LifecycleRequest(app: "com.example.addon", site: "acme", event: event))
            let header = try #require(app.requests.last?.headers["Authorization"])
            #expect(try Self.lifetime(header.dropFirst(4)) == 45, "\(event)")
        }
    }
}
