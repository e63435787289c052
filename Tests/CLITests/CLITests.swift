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

    @Test(arguments: [["serve", "--bogus"], ["serve", "--port", "http"], ["serve", "--port"], ["serve", "--tls-port", "0"],
                      ["serve", "--log", "xml"], ["serve", "--no-admin", "--admin-token", "x"], ["frobnicate"], [],
                      ["jwt", "connect", "--issuer", "k"], ["jwt", "bearer"]])
    func badFlagsPrintUsageAndExit2(_ arguments: [String]) throws {
        let result = try runProcess(Self.binary.path, arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains("usage:"))
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

    @Test func jwtConnectRefusesAURLOutsideTheBaseURL() throws {
        let result = try runProcess(Self.binary.path, ["jwt", "connect", "--shared-secret", "s", "--issuer", "k", "--method", "GET",
                                                       "--url", "https://h/other/x", "--base-url", "https://h/base"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is not under --base-url"))
    }
}
