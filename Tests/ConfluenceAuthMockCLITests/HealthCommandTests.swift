import Foundation
import Testing
import TestSupport

/// `health --url`: what the image's HEALTHCHECK runs instead of curl.
@Suite(.serialized) struct HealthCommandTests {
    static let binary = builtProduct("confluence-auth-mock")
    static let certs = repositoryRoot.appendingPathComponent("certs").path

    static func health(_ arguments: [String]) throws -> ProcessOutput {
        try runProcess(binary.path, ["health"] + arguments)
    }

    @Test func aServingMockIsHealthyOverHTTPAndOverHTTPSWithTheTestCA() throws {
        let serve = try SpawnedProcess(Self.binary, ["serve", "--port", "0", "--tls-port", "0", "--tls-cert", "\(Self.certs)/server.pem",
                                                     "--tls-key", "\(Self.certs)/server-key.pem"])
        defer { _ = serve.stop() }
        let base = String(try #require(serve.readLine()).split(separator: " ").last!)
        let tlsBase = String(try #require(serve.readLine()).split(separator: " ").last!).replacingOccurrences(of: "127.0.0.1", with: "localhost")

        let plain = try Self.health(["--url", "\(base)/__admin/health"])
        #expect(plain.status == 0 && plain.stdout == "\(base)/__admin/health answered 200\n" && plain.stderr.isEmpty)
        let secure = try Self.health(["--url", "\(tlsBase)/__admin/health", "--ca", "\(Self.certs)/ca.pem"])
        #expect(secure.status == 0, "\(secure.stderr)")

        let untrusted = try Self.health(["--url", "\(tlsBase)/__admin/health"])
        #expect(untrusted.status == 1 && untrusted.stderr.contains("certificate verify failed"), "\(untrusted.stderr)")
    }

    @Test func anAnswerOutside2xxIsUnhealthyWithTheStatusAndTheBodysFirstLine() throws {
        let serve = try SpawnedProcess(Self.binary, ["serve", "--port", "0", "--admin-token", "t0ken"])
        defer { _ = serve.stop() }
        let base = String(try #require(serve.readLine()).split(separator: " ").last!)
        let refused = try Self.health(["--url", "\(base)/__admin/health"])
        #expect(refused.status == 1 && refused.stdout.isEmpty)
        #expect(refused.stderr.hasPrefix("confluence-auth-mock health: \(base)/__admin/health answered 401: {"), "\(refused.stderr)")
    }

    @Test(arguments: [
        (["--url", "http://127.0.0.1:1/__admin/health"], "cannot connect to 127.0.0.1:1"),
        (["--url", "ftp://127.0.0.1/x"], "ftp://127.0.0.1/x is not an http:// or https:// URL"),
        (["--url", "https://localhost:1/", "--ca", "/nonexistent/ca.pem"], "loading CA certificates from /nonexistent/ca.pem"),
    ])
    func noAnswerIsUnhealthyWithTheReason(arguments: [String], reason: String) throws {
        let result = try Self.health(arguments)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("confluence-auth-mock health: ") && result.stderr.contains(reason), "\(result.stderr)")
    }

    @Test(arguments: [[], ["--url"], ["--url", "http://x/", "--timeout", "0"], ["--url", "http://x/", "--timeout", "nan"],
                      ["--url", "http://x/", "--bogus"]])
    func badFlagsPrintUsageAndExit2(_ arguments: [String]) throws {
        let result = try Self.health(arguments)
        #expect(result.status == 2 && result.stderr.contains("usage:"))
    }
}
