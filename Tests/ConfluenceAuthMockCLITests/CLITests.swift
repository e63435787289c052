import AuthMockFormats
import Foundation
import Testing
import TestSupport

/// The executable as a harness in any language uses it: spawn, read the ready line, talk HTTP, signal.
@Suite(.serialized) struct CLITests {
    static let binary = builtProduct("confluence-auth-mock")
    static let certs = repositoryRoot.appendingPathComponent("certs").path

    @Test func serveAnnouncesBothListenersAndStopsCleanlyOnSIGTERM() throws {
        let serve = try SpawnedProcess(Self.binary, ["serve", "--port", "0", "--tls-port", "0", "--tls-cert", "\(Self.certs)/server.pem",
                                                     "--tls-key", "\(Self.certs)/server-key.pem", "--log", "json"])
        let http = try #require(serve.readLine())
        let https = try #require(serve.readLine())
        #expect(http.hasPrefix("confluence-auth-mock listening on http://127.0.0.1:"))
        #expect(https.hasPrefix("confluence-auth-mock listening on https://127.0.0.1:"))
        let base = String(http.split(separator: " ").last!)
        let tlsBase = String(https.split(separator: " ").last!).replacingOccurrences(of: "127.0.0.1", with: "localhost")

        let health = try runProcess("curl", ["-sS", "\(base)/__admin/health"])
        #expect(try JSONValue.parse(health.stdout) == ["status": "ok", "scenario": "default"])
        let secure = try runProcess("curl", ["-sS", "--cacert", "\(Self.certs)/ca.pem", "\(tlsBase)/__admin/health"])
        #expect(try JSONValue.parse(secure.stdout)["status"] == "ok")

        #expect(serve.stop(signal: SIGTERM) == 0)
        let logLines = serve.standardError.split(separator: "\n").map { try? JSONValue.parse(String($0)) }
        #expect(logLines.count == 2)
        #expect(logLines.first??["path"] == "/__admin/health" && logLines.first??["status"] == 200)
        #expect(logLines.first??["auth"] == "none" && logLines.first??["decision"] == JSONValue.null)
        #expect(logLines.first??.objectValue?.keys == ["method", "path", "status", "auth", "decision", "durationMs"])
    }

    @Test func sigintAlsoStopsWithExitZero() throws {
        let serve = try SpawnedProcess(Self.binary, ["serve", "--port", "0"])
        #expect(serve.readLine()?.contains("listening on http://") == true)
        #expect(serve.stop(signal: SIGINT) == 0)
    }

    @Test func adminTokenAndNoAdmin() throws {
        let guarded = try SpawnedProcess(Self.binary, ["serve", "--port", "0", "--admin-token", "t0ken"])
        let base = String(try #require(guarded.readLine()).split(separator: " ").last!)
        let without = try runProcess("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "\(base)/__admin/health"])
        let wrong = try runProcess("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer nope", "\(base)/__admin/health"])
        let right = try runProcess("curl", ["-sS", "-H", "Authorization: Bearer t0ken", "\(base)/__admin/health"])
        #expect(without.stdout == "401" && wrong.stdout == "401")
        #expect(try JSONValue.parse(right.stdout)["status"] == "ok")
        #expect(guarded.stop() == 0)

        let closed = try SpawnedProcess(Self.binary, ["serve", "--port", "0", "--no-admin"])
        let closedBase = String(try #require(closed.readLine()).split(separator: " ").last!)
        let absent = try runProcess("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "\(closedBase)/__admin/health"])
        #expect(absent.stdout == "404")
        #expect(closed.stop() == 0)
    }

    /// Bound beyond loopback with the admin API open, `serve` warns on standard error; on loopback,
    /// or with a token or no admin API, it does not.
    @Test(arguments: [(["--host", "0.0.0.0"], true), (["--host", "127.0.0.1"], false), (["--host", "0.0.0.0", "--admin-token", "t"], false),
                      (["--host", "0.0.0.0", "--no-admin"], false)])
    func anOpenAdminAPIOnTheNetworkIsWarnedAbout(_ flags: [String], warns: Bool) throws {
        let serve = try SpawnedProcess(Self.binary, ["serve", "--port", "0"] + flags)
        #expect(serve.readLine()?.contains("listening on http://") == true)
        #expect(serve.stop() == 0)
        let warning = serve.standardError.split(separator: "\n").filter { $0.hasPrefix("confluence-auth-mock warning:") }
        #expect(warning.count == (warns ? 1 : 0))
        if warns { #expect(warning.first?.contains("anyone who can reach the port can replace the scenario and mint tokens") == true) }
    }

    @Test(arguments: [["serve", "--bogus"], ["serve", "--port", "http"], ["serve", "--port"], ["serve", "--tls-port", "0"],
                      ["serve", "--log", "xml"], ["serve", "--no-admin", "--admin-token", "x"], ["serve", "--app-ca", "x", "--app-insecure"], ["frobnicate"], [],
                      ["jwt", "connect", "--issuer", "k"], ["jwt", "bearer"]])
    func badFlagsPrintUsageAndExit2(_ arguments: [String]) throws {
        let result = try runProcess(Self.binary.path, arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains("usage:"))
    }

    /// `--app-ca` and `--app-insecure` reach the hooks: the "app" is a second mock serving HTTPS
    /// with the test certificate, which answers the hook 404 (it is no app) once the handshake holds.
    @Test func appTrustFlagsGovernHTTPSHooks() throws {
        let app = try SpawnedProcess(Self.binary, ["serve", "--port", "0", "--tls-port", "0", "--tls-cert", "\(Self.certs)/server.pem",
                                                   "--tls-key", "\(Self.certs)/server-key.pem"])
        _ = try #require(app.readLine())
        let appURL = String(try #require(app.readLine()).split(separator: " ").last!).replacingOccurrences(of: "127.0.0.1", with: "localhost")
        defer { _ = app.stop() }
        let file = try CLIScenarioTests.defaultScenarioFile { scenario in
            var apps = try #require(scenario["connectApps"]?.arrayValue)
            var connectApp = try #require(apps.first?.objectValue)
            connectApp["baseUrl"] = .string("\(appURL)/addon")
            apps[0] = .object(connectApp)
            scenario["connectApps"] = .array(apps)
        }

        func installed(_ flags: [String]) throws -> JSONValue {
            let serve = try SpawnedProcess(Self.binary, ["serve", "--port", "0", "--scenario", file.path] + flags)
            defer { _ = serve.stop() }
            let base = String(try #require(serve.readLine()).split(separator: " ").last!)
            let answer = try runProcess("curl", ["-sS", "-X", "POST", "-d", #"{"app":"com.example.addon","site":"acme","event":"installed"}"#,
                                                 "\(base)/__admin/connect/lifecycle"])
            return try JSONValue.parse(answer.stdout)
        }
        #expect(try installed(["--app-ca", "\(Self.certs)/ca.pem"])["status"] == 404, "handshake verified; the app answered")
        #expect(try installed(["--app-insecure"])["status"] == 404)
        let refused = try installed([])
        #expect(refused["status"] == .null && refused["error"]?.stringValue?.contains("unable to get local issuer certificate") == true)
        let hooks = try runProcess("curl", ["-sS", "--cacert", "\(Self.certs)/ca.pem", "\(appURL)/__admin/requests?path=/addon/installed"])
        #expect(try JSONValue.parse(hooks.stdout)["requests"]?.arrayValue?.count == 2, "the unverified attempt sent nothing")

        let missing = try runProcess(Self.binary.path, ["serve", "--port", "0", "--app-ca", "/nonexistent/ca.pem"])
        #expect(missing.status == 1 && missing.stderr.contains("loading CA certificates from /nonexistent/ca.pem"))
    }

    @Test func helpExitsZero() throws {
        let result = try runProcess(Self.binary.path, ["--help"])
        #expect(result.status == 0 && result.stdout.contains("jwt connect"))
    }

    /// The token `jwt connect` prints verifies with PyJWT, and its qsh is the one atlassian-jwt
    /// computes for the same request relative to the site's base URL.
    @Test(arguments: [
        ("GET", "https://acme.atlassian.net/wiki/rest/api/content?spaceKey=ENG&title=Run+book", nil as String?, "/rest/api/content?spaceKey=ENG&title=Run+book"),
        ("POST", "https://app.example.com/installed", nil, "/installed"),
        ("GET", "https://h.example.com/base/macro/render?b=2&a=1", "https://h.example.com/base", "/macro/render?b=2&a=1"),
    ])
    func jwtConnectMatchesAtlassianJWT(method: String, url: String, baseURL: String?, relative: String) throws {
        try requirePythonModules(["jwt", "atlassian_jwt"])
        var arguments = ["jwt", "connect", "--shared-secret", "a-shared-secret-of-32-bytes-min!", "--issuer", "ck-acme",
                         "--method", method, "--url", url, "--subject", "5b10ac8d82e05b22cc7d4ef5", "--ttl", "60"]
        if let baseURL { arguments += ["--base-url", baseURL] }
        let made = try runProcess(Self.binary.path, arguments)
        #expect(made.status == 0, "\(made.stderr)")
        let token = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!token.contains("\n"))
        let script = """
        import json, sys, jwt
        from atlassian_jwt.url_utils import hash_url
        claims = jwt.decode(sys.argv[1], "a-shared-secret-of-32-bytes-min!", algorithms=["HS256"])
        print(json.dumps({"claims": claims, "qsh": hash_url(sys.argv[2], sys.argv[3])}))
        """
        let checked = try runProcess("python3", ["-c", script, token, method, relative])
        #expect(checked.status == 0, "\(checked.stderr)")
        let result = try JSONValue.parse(checked.stdout)
        #expect(result["claims"]?["qsh"] == result["qsh"])
        #expect(result["claims"]?["iss"] == "ck-acme")
        #expect(result["claims"]?["sub"] == "5b10ac8d82e05b22cc7d4ef5")
        let exp = result["claims"]?["exp"]?.intValue ?? 0, iat = result["claims"]?["iat"]?.intValue ?? 0
        #expect(exp - iat == 60)
    }

    /// A token from `jwt connect` is accepted by the served mock, and refused for another URL.
    @Test func jwtConnectTokensAreAcceptedByTheMock() throws {
        let serve = try SpawnedProcess(Self.binary, ["serve", "--port", "0"])
        defer { _ = serve.stop(signal: SIGTERM) }
        let base = String(try #require(serve.readLine()).split(separator: " ").last!)
        let url = "\(base)/site/acme/wiki/rest/api/space?limit=1&type=global"
        let token = try runProcess(Self.binary.path, ["jwt", "connect", "--shared-secret", "a-shared-secret-of-32-bytes-min!", "--issuer", "com.example.addon",
                                                      "--method", "GET", "--url", url, "--base-url", "\(base)/site/acme/wiki"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        func status(_ target: String) throws -> String {
            try runProcess("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: JWT \(token)", target]).stdout
        }
        #expect(try status(url) == "200")
        #expect(try status("\(base)/site/acme/wiki/rest/api/space?limit=2&type=global") == "401")
    }

    @Test func jwtConnectRefusesAURLOutsideTheBaseURL() throws {
        let result = try runProcess(Self.binary.path, ["jwt", "connect", "--shared-secret", "s", "--issuer", "k", "--method", "GET",
                                                       "--url", "https://h/other/x", "--base-url", "https://h/base"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is not under --base-url"))
    }
}

/// validate, schema and serve --scenario.
@Suite(.serialized) struct CLIScenarioTests {
    static let binary = builtProduct("confluence-auth-mock")
    static let broken = repositoryRoot.appendingPathComponent("Tests/ConfluenceAuthMockTests/Fixtures/broken").path
    static let scenarios = repositoryRoot.appendingPathComponent("scenarios").path

    /// The bundled default.json, changed by `edit`, written to a new temporary file.
    static func defaultScenarioFile(editedBy edit: (inout JSONObject) throws -> Void) throws -> URL {
        var scenario = try #require(try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(scenarios)/default.json")))).objectValue)
        try edit(&scenario)
        let file = try makeTemporaryDirectory().appendingPathComponent("scenario.json")
        try JSONValue.object(scenario).serialized.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// `catalog --markdown` prints docs/catalog.md as the repository has it; plain `catalog` the JSON
    /// `GET /__admin/catalog` answers; `scopes` wants one of `--client` and `--principal`.
    @Test func catalogPrintsTheDocsAndScopesWantsACaller() throws {
        let markdown = try runProcess(Self.binary.path, ["catalog", "--markdown"])
        let docs = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/catalog.md"), encoding: .utf8)
        #expect(markdown.status == 0 && markdown.stdout == docs)
        let json = try runProcess(Self.binary.path, ["catalog"])
        let listed = try JSONValue.parse(Array(json.stdout.utf8))
        #expect(json.status == 0 && listed["operations"]?.arrayValue?.count == 343)
        let noCaller = try runProcess(Self.binary.path, ["scopes", "--url", "http://127.0.0.1:1"])
        #expect(noCaller.status == 2 && noCaller.stderr.contains("scopes needs one of --client ID or --principal ACCOUNT_ID"))
        let unreachable = try runProcess(Self.binary.path, ["scopes", "--url", "http://127.0.0.1:1", "--client", "x"])
        #expect(unreachable.status == 1 && unreachable.stderr.hasPrefix("confluence-auth-mock scopes: "))
    }

    @Test func validateAcceptsGoodFilesAndExitsZero() throws {
        let result = try runProcess(Self.binary.path, ["validate", "\(Self.scenarios)/default.json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("default.json: ok (default)"))
    }

    @Test func validatePrintsEveryErrorOfEveryFileAndExitsOne() throws {
        let first = "\(Self.broken)/08-unknown-permission.json", second = "\(Self.broken)/35-several-problems-at-once.json"
        let result = try runProcess(Self.binary.path, ["validate", "\(Self.scenarios)/default.json", first, second])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(first): users[0].sites.acme.spaces.ENG[1]: unknown permission \"adm\""))
        #expect(result.stderr.components(separatedBy: "\n").filter { $0.hasPrefix(second) }.count == 3)
        #expect(try runProcess(Self.binary.path, ["validate"]).status == 2)
    }

    @Test func schemaPrintsTheBundledSchemaFromAnyFolder() throws {
        let result = try runProcess("sh", ["-c", "cd / && '\(Self.binary.path)' schema"])
        #expect(result.status == 0)
        let printed = try JSONValue.parse(result.stdout)
        let onDisk = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(Self.scenarios)/schema.json"))))
        #expect(printed == onDisk)
    }

    @Test func serveLoadsAScenarioFileAndRefusesABrokenOne() throws {
        let file = try Self.defaultScenarioFile { $0["name"] = "from-file" }
        let serve = try SpawnedProcess(Self.binary, ["serve", "--port", "0", "--scenario", file.path])
        let base = String(try #require(serve.readLine()).split(separator: " ").last!)
        let health = try runProcess("curl", ["-sS", "\(base)/__admin/health"])
        #expect(try JSONValue.parse(health.stdout)["scenario"] == "from-file")
        #expect(serve.stop() == 0)

        let broken = try runProcess(Self.binary.path, ["serve", "--port", "0", "--scenario", "\(Self.broken)/08-unknown-permission.json"])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("unknown permission \"adm\""))
        #expect(broken.stdout.isEmpty, "nothing half-loaded is served")
    }
}

@Suite struct RequestLogSecrecyTests {
    /// Tokens, passwords, query strings and bodies never reach the log, in either format.
    @Test(arguments: ["text", "json"])
    func secretsNeverReachTheLog(format: String) throws {
        let serve = try SpawnedProcess(builtProduct("confluence-auth-mock"), ["serve", "--port", "0", "--log", format])
        let base = String(try #require(serve.readLine()).split(separator: " ").last!)
        _ = try runProcess("curl", ["-sS", "-u", "alice@acme.test:alice-api-token", "\(base)/wiki/rest/api/space?jwt=header.payload.sig"])
        _ = try runProcess("curl", ["-sS", "-H", "Authorization: Bearer secret-access-token", "-d", "client_secret=acme-sync-secret",
                                    "\(base)/oauth/token"])
        #expect(serve.stop() == 0)
        let log = serve.standardError
        #expect(log.split(separator: "\n").count == 2)
        for secret in ["alice-api-token", "header.payload.sig", "secret-access-token", "acme-sync-secret", "YWxpY2"] {
            #expect(!log.contains(secret), "\(secret) leaked into the \(format) log")
        }
    }
}
