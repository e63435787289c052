import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Forge (docs/reference.md §5): invocation tokens sent to a remote, app tokens at the gateway.
@Suite struct ForgeTests {
    static let app = "ari:cloud:ecosystem::app/3b4c6a1e-5f7d-4b2a-9c8e-0d1f2a3b4c5d"
    static let installation = "ari:cloud:ecosystem::installation/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
    static let bob = "5b10a2844c20165700ede21g"

    /// The default scenario with the Forge app's remote pointed at `remote`.
    static func start(remote: ConnectLifecycleTests.FakeApp, options: MockServerOptions = MockServerOptions()) throws -> MockConfluence {
        var scenario = Scenario.bundledDefault
        scenario.forgeApps[0].remotes = ["backend": remote.baseUrl]
        return try MockConfluence.start(scenario: scenario, options: options)
    }

    /// Forge remotes are HTTPS in production; one with a self-signed certificate is reached with
    /// `verifyPeer: false` and refused without it.
    @Test func anHTTPSRemoteIsInvokedWithTheTrustTheMockWasGiven() throws {
        let remote = try ConnectLifecycleTests.FakeApp(tls: true)
        defer { remote.server.stop() }
        remote.answer(with: 200)
        let insecure = try Self.start(remote: remote, options: MockServerOptions(outboundTLS: OutboundTLS(verifyPeer: false)))
        defer { insecure.stop() }
        let invoked = try insecure.invokeForgeRemote(ForgeInvocationRequest(app: Self.app, site: "acme", remote: "backend", path: "/render"))
        #expect(invoked.status == 200 && invoked.error == nil && remote.requests.last?.isSecure == true)
        let verifying = try Self.start(remote: remote)
        defer { verifying.stop() }
        let refused = try verifying.invokeForgeRemote(ForgeInvocationRequest(app: Self.app, site: "acme", remote: "backend", path: "/render"))
        #expect(refused.status == nil && refused.error?.contains("TLS handshake with localhost failed") == true)
    }

    /// The Forge JWKS as a verification key.
    static func forgeKey(_ mock: MockConfluence) throws -> RS256VerificationKey {
        let jwks = try ReadResourcesTests.get(mock, "/forge/.well-known/jwks.json").json
        let jwk = try #require(jwks?["keys"]?.arrayValue?.first)
        let modulus = try #require(jwk["n"]?.stringValue.flatMap { Base64URL.decode($0) })
        let exponent = try #require(jwk["e"]?.stringValue.flatMap { Base64URL.decode($0) })
        return RS256VerificationKey(try RSAPublicKey(modulus: modulus, exponent: exponent), keyID: jwk["kid"]?.stringValue)
    }

    @Test func anInvocationCarriesAVerifiableFITAndTheAppTokens() throws {
        let remote = try ConnectLifecycleTests.FakeApp()
        defer { remote.server.stop() }
        remote.answer(with: 200)
        let mock = try Self.start(remote: remote)
        defer { mock.stop() }
        let result = try mock.invokeForgeRemote(ForgeInvocationRequest(app: Self.app, site: "acme", remote: "backend", path: "/render", body: ["page": "1001"], user: "bob@acme.test"))
        #expect(result.status == 200 && result.error == nil && result.body == "app says hi" && result.url == "\(remote.baseUrl)/render")
        let call = try #require(remote.requests.last)
        #expect(call.method == "POST" && call.path == "/addon/render" && call.bodyText == #"{"page":"1001"}"#)
        #expect(call.headers["x-b3-traceid"] == result.traceId && result.traceId.count == 32 && call.headers["x-b3-spanid"]?.count == 16)
        let bearer = try #require(call.authorization(scheme: "Bearer"))
        let fit = try JWT.decode(bearer)
        try fit.verifySignature(using: try Self.forgeKey(mock), allowing: [.rs256])
        try fit.validateClaims(JWTClaimChecks(now: mock.nowSecondsSince1970, requiredClaims: ["iat", "nbf", "exp", "jti"], issuers: ["forge/invocation-token"], audience: Self.app))
        #expect(fit.claims["app"]?["installationId"]?.stringValue == Self.installation)
        #expect(fit.claims["app"]?["apiBaseUrl"]?.stringValue == "\(mock.baseURLString)/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674")
        #expect(fit.claims["app"]?["environment"]?["type"] == "DEVELOPMENT" && fit.claims["context"]?["cloudId"] == "a436116f-02ce-4520-8fbb-7301462a1674")
        #expect(fit.claims["principal"]?.stringValue == Self.bob && (fit.claims["exp"]?.intValue ?? 0) - (fit.claims["iat"]?.intValue ?? 0) == 25)
        #expect(call.headers["x-forge-oauth-system"] != nil && call.headers["x-forge-oauth-user"] != nil)

        _ = try mock.invokeForgeRemote(ForgeInvocationRequest(app: Self.app, site: "acme", remote: "backend"))
        #expect(remote.requests.last?.headers["x-forge-oauth-user"] == nil, "no user token without an invoking user")
        let anonymousFIT = try #require(remote.requests.last?.authorization(scheme: "Bearer"))
        #expect(try JWT.decode(anonymousFIT).claims["principal"] == nil)
    }

    /// cloud-2026 writes the environment id as an ARI, leaves out `app.version` and names an
    /// invoking module's instance in `context.localId` (docs/reference.md §8.7); cloud-2021 keeps
    /// the earlier claims.
    @Test(arguments: [Scenario.Profile.cloud2026, .cloud2021])
    func theFITFollowsTheProfile(profile: Scenario.Profile) throws {
        let remote = try ConnectLifecycleTests.FakeApp()
        defer { remote.server.stop() }
        remote.answer(with: 200)
        var scenario = Scenario.bundledDefault
        scenario.forgeApps[0].remotes = ["backend": remote.baseUrl]
        scenario.profile = profile
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let environment = scenario.forgeApps[0].environmentId
        func claims(module: String?) throws -> JSONValue {
            _ = try mock.invokeForgeRemote(ForgeInvocationRequest(app: Self.app, site: "acme", remote: "backend", module: module))
            return .object(try JWT.decode(try #require(remote.requests.last?.authorization(scheme: "Bearer"))).claims)
        }
        let withModule = try claims(module: "page-banner"), without = try claims(module: nil)
        if profile == .cloud2026 {
            #expect(withModule["app"]?["environment"]?["id"]?.stringValue == "ari:cloud:ecosystem::environment/\(environment)")
            #expect(withModule["app"]?["version"] == nil)
            #expect(withModule["context"]?["localId"]?.stringValue
                    == "ari:cloud:ecosystem::extension/3b4c6a1e-5f7d-4b2a-9c8e-0d1f2a3b4c5d/\(environment)/static/page-banner")
        } else {
            #expect(withModule["app"]?["environment"]?["id"]?.stringValue == environment)
            #expect(withModule["app"]?["version"] == "1" && withModule["context"]?["localId"] == nil)
        }
        #expect(without["context"]?["localId"] == nil, "no module, no localId")
        #expect(try claims(module: "page-banner")["context"]?["localId"] == withModule["context"]?["localId"], "stable per module")
    }

    @Test func redirectsErrorsAndUnreachableRemotesAreFailures() throws {
        let remote = try ConnectLifecycleTests.FakeApp()
        defer { remote.server.stop() }
        let mock = try Self.start(remote: remote)
        defer { mock.stop() }
        remote.answer(with: 302)
        #expect(try mock.invokeForgeRemote(ForgeInvocationRequest(app: Self.app, site: "acme", remote: "backend")).error?.contains("redirects") == true)
        remote.answer(with: 401)
        let refused = try AdminAPITests.call(mock, "POST", "/__admin/forge/invoke", body: #"{"app":"\#(Self.app)","site":"acme","remote":"backend"}"#)
        #expect(refused.status == 200 && refused.json?["status"]?.intValue == 401 && refused.json?["error"]?.stringValue?.contains("failed") == true)
        remote.server.stop()
        let gone = try mock.invokeForgeRemote(ForgeInvocationRequest(app: Self.app, site: "acme", remote: "backend"))
        #expect(gone.status == nil && gone.error?.contains("cannot connect") == true)
        let recorded = try AdminAPITests.call(mock, "GET", "/__admin/forge/invocations").json?["invocations"]?.arrayValue ?? []
        #expect(recorded.map { $0["status"]?.intValue } == [302, 401, nil], "each answer is recorded, oldest first")
        #expect(recorded.first?["remote"] == "backend" && recorded.last?["error"]?.stringValue?.contains("cannot connect") == true)
        #expect(mock.forgeInvocations.count == 3)
        mock.reset()
        #expect(mock.forgeInvocations.isEmpty)
        let unknown = try AdminAPITests.call(mock, "POST", "/__admin/forge/invoke", body: #"{"app":"\#(Self.app)","site":"acme","remote":"frontend"}"#)
        #expect(unknown.status == 400 && unknown.json?["details"]?.arrayValue?.first?["path"] == "remote")
    }

    static func gateway(_ mock: MockConfluence, _ path: String, _ token: String, method: String = "GET", json: String? = nil) throws -> ReadResourcesTests.Answer {
        try ReadResourcesTests.send(mock, method, "\(OAuthGatewayTests.gateway)\(path)", headers: ["Authorization: Bearer \(token)"], json: json)
    }

    @Test func appTokensAtTheGatewayWithinTheManifestScopes() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let system = try mock.forgeToken(ForgeTokenRequest(app: Self.app, site: "acme", kind: .system))
        #expect(system.expiresIn == 7200)
        #expect(try Self.gateway(mock, "/wiki/api/v2/pages/2001", system.token).status == 200, "the app sees every space")
        let record = try #require(mock.requests().last?.auth)
        #expect(record.mechanism == .forge && record.principal == Self.app && record.client == Self.app && record.decision == .allowed)
        #expect(record.reason?.contains(Self.installation) == true && record.scopesHeld == ["read:page:confluence", "read:space:confluence"])
        let outside = try Self.gateway(mock, "/wiki/rest/api/search?cql=type=page", system.token)
        #expect(outside.status == 401 && outside.body == #"{"code":401,"message":"Unauthorized; scope does not match"}"#)

        let minted = try AdminAPITests.call(mock, "POST", "/__admin/forge/tokens", body: #"{"app":"\#(Self.app)","site":"acme","kind":"user","user":"bob@acme.test"}"#)
        let user = try #require(minted.json?["token"]?.stringValue)
        #expect(try Self.gateway(mock, "/wiki/api/v2/pages/1001", user).status == 200)
        #expect(try Self.gateway(mock, "/wiki/api/v2/pages/2001", user).status == 404, "the user token has bob's permissions")
        #expect(mock.requests().last?.auth.principal == Self.bob)
        #expect(try ReadResourcesTests.get(mock, "/wiki/api/v2/pages/1001", headers: ["Authorization: Bearer \(user)"]).status != 200, "gateway only")

        mock.advanceClock(by: .seconds(7200))
        let expired = try Self.gateway(mock, "/wiki/api/v2/pages/1001", system.token)
        #expect(expired.status == 401 && expired.body == #"{"code":401,"message":"Unauthorized"}"# && mock.requests().last?.auth.mechanism == .forge)
    }

    @Test func mintingChecksTheRequest() throws {
        var scenario = Scenario.bundledDefault
        scenario.forgeApps[0].appUserToken = false
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let disabled = #expect(throws: TokenRequestError.self) { try mock.forgeToken(ForgeTokenRequest(app: Self.app, site: "acme", kind: .user, user: "bob@acme.test")) }
        #expect(disabled?.issues.map(\.path) == ["kind"])
        let noUser = #expect(throws: TokenRequestError.self) { try mock.forgeToken(ForgeTokenRequest(app: Self.app, site: "globex", kind: .system)) }
        #expect(noUser?.issues.map(\.path) == ["site"])
        let bad = try AdminAPITests.call(mock, "POST", "/__admin/forge/tokens", body: #"{"app":"ari:cloud:ecosystem::app/nope","site":"acme","kind":"root"}"#)
        #expect(bad.status == 400 && bad.json?["details"]?.arrayValue?.first?["path"] == "kind")
    }
}
