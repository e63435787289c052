import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Lifecycle hooks the mock sends an app (docs/reference.md §4.4, §4.5), received by an app server in the test.
@Suite struct ConnectLifecycleTests {
    /// A fake Connect app: records what it receives and answers `status`.
    final class FakeApp: Sendable {
        let server: HTTPServer
        private let received = Lock<[HTTPRequest]>([])
        private let answer = Lock<Int>(204)

        /// With `tls`, the app listens for HTTPS only, with the test certificate for localhost.
        init(tls: Bool = false) throws {
            let received = self.received, answer = self.answer
            var configuration = HTTPServerConfiguration()
            if tls {
                let certs = repositoryRoot.appendingPathComponent("certs")
                configuration.tls = TLSConfiguration(certificatePath: certs.appendingPathComponent("server.pem").path,
                                                     privateKeyPath: certs.appendingPathComponent("server-key.pem").path)
            }
            server = HTTPServer(configuration: configuration, handler: ClosureHandler { request in
                received.withLock { $0.append(request) }
                return HTTPResponse(status: HTTPStatus(answer.withLock { $0 }), body: Array("app says hi".utf8))
            })
            try server.start()
        }

        var baseUrl: String { server.tlsPort.map { "https://localhost:\($0)/addon" } ?? "http://127.0.0.1:\(server.port)/addon" }
        var requests: [HTTPRequest] { received.withLock { $0 } }
        func answer(with status: Int) { answer.withLock { $0 = status } }
    }

    /// The default scenario with the Connect app pointed at `app`.
    static func start(app: FakeApp, options: MockServerOptions = MockServerOptions()) throws -> MockConfluence {
        var scenario = Scenario.bundledDefault
        scenario.connectApps[0].baseUrl = app.baseUrl
        return try MockConfluence.start(scenario: scenario, options: options)
    }

    @Test func installedIsSignedRS256WithAKeyTheAppCanFetch() throws {
        let app = try FakeApp()
        defer { app.server.stop() }
        let mock = try Self.start(app: app)
        defer { mock.stop() }
        let delivery = try mock.sendLifecycle(LifecycleRequest(app: "com.example.addon", site: "acme", event: .installed))
        #expect(delivery.delivered && delivery.status == 204 && delivery.installation == .installed && delivery.url == "\(app.baseUrl)/installed")
        let hook = try #require(app.requests.first)
        #expect(hook.method == "POST" && hook.path == "/addon/installed" && hook.headers["Content-Type"] == "application/json")
        let header = try #require(hook.headers["Authorization"])
        let jwt = try JWT.decode(header.dropFirst(4))
        #expect(jwt.algorithmName == "RS256")
        // The app fetches the PEM by kid, as from connect-install-keys.atlassian.com.
        let pem = try ReadResourcesTests.get(mock, "/connect-install-keys/\(try #require(jwt.keyID))")
        #expect(pem.status == 200 && pem.body.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        try jwt.verifySignature(using: RS256VerificationKey(try RSAPublicKey(pem: pem.body)), allowing: [.rs256])
        #expect(jwt.claims["iss"] == "ck-acme" && jwt.audiences == [app.baseUrl])
        #expect(jwt.claims["qsh"]?.stringValue == QueryStringHash.hash(method: "POST", url: "/installed"), "qsh relative to the app's baseUrl")
        let payload = try JSONValue.parse(hook.body)
        #expect(payload["key"] == "com.example.addon" && payload["clientKey"] == "ck-acme" && payload["sharedSecret"] == "a-shared-secret-of-32-bytes-min!")
        #expect(payload["baseUrl"]?.stringValue == "\(mock.baseURLString)/site/acme/wiki" && payload["displayUrl"] == "https://acme.atlassian.net/wiki")
        #expect(payload["productType"] == "confluence" && payload["eventType"] == "installed" && payload["oauthClientId"] == "oc-acme")
        #expect(try ReadResourcesTests.get(mock, "/connect-install-keys/no-such-kid").status == 404)
    }

    @Test func enabledAndDisabledAreSignedWithTheSharedSecret() throws {
        let app = try FakeApp()
        defer { app.server.stop() }
        let mock = try Self.start(app: app)
        defer { mock.stop() }
        let disabled = try mock.sendLifecycle(LifecycleRequest(app: "com.example.addon", site: "acme", event: .disabled))
        #expect(disabled.installation == .disabled)
        let jwt = try JWT.decode(try #require(app.requests.last?.headers["Authorization"]).dropFirst(4))
        try jwt.verifySignature(using: HMACKey(secret: "a-shared-secret-of-32-bytes-min!"), allowing: [.hs256])
        #expect(try JSONValue.parse(try #require(app.requests.last).body)["sharedSecret"] == nil)
        let url = "/wiki/rest/api/space"
        #expect(ConnectRequestTests.failure(try ConnectRequestTests.call(mock, "GET", url, token: try ConnectRequestTests.token(mock, "GET", url))) == "installation-disabled")
        #expect(try mock.sendLifecycle(LifecycleRequest(app: "com.example.addon", site: "acme", event: .enabled)).installation == .installed)
        #expect(try ConnectRequestTests.call(mock, "GET", url, token: try ConnectRequestTests.token(mock, "GET", url)).status == 200)
    }

    @Test func anAppThatDoesNotAnswer2xxLeavesTheInstallIncomplete() throws {
        let app = try FakeApp()
        defer { app.server.stop() }
        let mock = try Self.start(app: app)
        defer { mock.stop() }
        app.answer(with: 500)
        let delivery = try mock.sendLifecycle(LifecycleRequest(app: "com.example.addon", site: "acme", event: .installed))
        #expect(!delivery.delivered && delivery.status == 500 && delivery.body == "app says hi" && delivery.installation == .incomplete)
        #expect(mock.connectInstallations.first?.lastDelivery == delivery, "the app's answer is recorded on the installation")
        let url = "/wiki/rest/api/space"
        #expect(ConnectRequestTests.failure(try ConnectRequestTests.call(mock, "GET", url, token: try ConnectRequestTests.token(mock, "GET", url))) == "installation-incomplete")
        mock.reset()
        #expect(mock.connectInstallation(app: "com.example.addon", site: "acme")?.status == .installed, "a reset restores the scenario's installs")
    }

    @Test func rotatingTheSecretResendsInstalledAndRetiresTheOldOne() throws {
        let app = try FakeApp()
        defer { app.server.stop() }
        let mock = try Self.start(app: app)
        defer { mock.stop() }
        _ = try mock.sendLifecycle(LifecycleRequest(app: "com.example.addon", site: "acme", event: .installed, rotateSecret: true))
        let hook = try #require(app.requests.last)
        let newSecret = try #require(try JSONValue.parse(hook.body)["sharedSecret"]?.stringValue)
        #expect(newSecret != "a-shared-secret-of-32-bytes-min!" && newSecret.utf8.count >= 32)
        #expect(mock.connectInstallation(app: "com.example.addon", site: "acme")?.installation.sharedSecret == newSecret)
        let url = "/wiki/rest/api/space"
        #expect(ConnectRequestTests.failure(try ConnectRequestTests.call(mock, "GET", url, token: try ConnectRequestTests.token(mock, "GET", url))) == "bad-signature")
        #expect(try ConnectRequestTests.call(mock, "GET", url, token: try ConnectRequestTests.token(mock, "GET", url, secret: newSecret)).status == 200)
    }

    @Test func overTheAdminAPIWithClearErrors() throws {
        let app = try FakeApp()
        defer { app.server.stop() }
        let mock = try Self.start(app: app)
        defer { mock.stop() }
        let sent = try AdminAPITests.call(mock, "POST", "/__admin/connect/lifecycle", body: #"{"app":"com.example.addon","site":"acme","event":"uninstalled"}"#)
        #expect(sent.status == 200 && sent.json?["delivered"] == true && sent.json?["status"]?.intValue == 204 && sent.json?["installation"] == "uninstalled")
        #expect(try JWT.decode(try #require(app.requests.last?.headers["Authorization"]).dropFirst(4)).algorithmName == "RS256")
        let badEvent = try AdminAPITests.call(mock, "POST", "/__admin/connect/lifecycle", body: #"{"app":"com.example.addon","site":"acme","event":"deleted"}"#)
        #expect(badEvent.status == 400 && badEvent.json?["details"]?.arrayValue?.first?["path"] == "event")
        let unknown = try AdminAPITests.call(mock, "POST", "/__admin/connect/lifecycle", body: #"{"app":"com.example.nope","site":"acme","event":"installed"}"#)
        #expect(unknown.status == 400 && unknown.json?["details"]?.arrayValue?.first?["message"]?.stringValue?.contains("no installation") == true)
        let listed = try AdminAPITests.call(mock, "GET", "/__admin/connect/installations")
        let installation = try #require(listed.json?["installations"]?.arrayValue?.first)
        #expect(installation["clientKey"] == "ck-acme" && installation["status"] == "uninstalled" && installation["sharedSecret"] == "a-shared-secret-of-32-bytes-min!")
        #expect(installation["lastDelivery"]?["event"] == "uninstalled" && installation["lastDelivery"]?["status"]?.intValue == 204)
        let rotateOnDisable = try AdminAPITests.call(mock, "POST", "/__admin/connect/lifecycle", body: #"{"app":"com.example.addon","site":"acme","event":"disabled","rotateSecret":true}"#)
        #expect(rotateOnDisable.status == 400)
    }

    @Test func anUnreachableAppIsReportedNotThrown() throws {
        var scenario = Scenario.bundledDefault
        scenario.connectApps[0].baseUrl = "http://127.0.0.1:1"
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let delivery = try mock.sendLifecycle(LifecycleRequest(app: "com.example.addon", site: "acme", event: .installed))
        #expect(!delivery.delivered && delivery.status == nil && delivery.error?.contains("cannot connect") == true && delivery.installation == .incomplete)
    }

    /// An app served over HTTPS: the hook goes through when the mock trusts the app's CA, and is
    /// reported (the install left incomplete) when it does not.
    @Test func anHTTPSAppIsCalledWithTheTrustTheMockWasGiven() throws {
        let app = try FakeApp(tls: true)
        defer { app.server.stop() }
        let trusting = try Self.start(app: app, options: MockServerOptions(outboundTLS: OutboundTLS(caFile: repositoryRoot.appendingPathComponent("certs/ca.pem").path)))
        defer { trusting.stop() }
        let delivered = try trusting.sendLifecycle(LifecycleRequest(app: "com.example.addon", site: "acme", event: .installed))
        #expect(delivered.delivered && delivered.status == 204 && delivered.url == "\(app.baseUrl)/installed" && delivered.installation == .installed)
        #expect(app.requests.first?.isSecure == true && app.requests.first?.path == "/addon/installed")

        let untrusting = try Self.start(app: app)
        defer { untrusting.stop() }
        let refused = try untrusting.sendLifecycle(LifecycleRequest(app: "com.example.addon", site: "acme", event: .installed))
        #expect(!refused.delivered && refused.installation == .incomplete)
        #expect(refused.error?.contains("unable to get local issuer certificate") == true, "\(refused.error ?? "")")
        #expect(app.requests.count == 1, "nothing reached the app without a verified handshake")
    }
}
