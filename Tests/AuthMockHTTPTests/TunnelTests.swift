import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import AuthMockHTTP

/// `CONNECT` tunnels at the HTTP layer: the authority form parsed, the CA checked, a certificate
/// minted per host and the tunnelled requests marked with their host, verified by curl.
@Suite struct TunnelTests {
    static func pem(_ file: String) throws -> String {
        try String(contentsOf: EchoServer.certs.appendingPathComponent(file), encoding: .utf8)
    }

    @Test func connectTargetsAreAuthorities() throws {
        #expect(try HTTPRequest(method: "CONNECT", target: "API.atlassian.com:443").proxyForm == .connect(host: "api.atlassian.com", port: 443))
        #expect(try HTTPRequest(method: "CONNECT", target: "[::1]:8443").proxyForm == .connect(host: "[::1]", port: 8443))
        for bad in ["api.atlassian.com", "api.atlassian.com:0", "api.atlassian.com:https", ":443", "a b:443", "::1:443", "/path:443"] {
            #expect(throws: HTTPParseError.self, "\(bad)") { try HTTPRequest(method: "CONNECT", target: bad) }
        }
        #expect(try HTTPRequest(method: "GET", target: "http://User@Example.com:8080/a?b=1").proxyForm == .absolute(host: "example.com"))
        #expect(try HTTPRequest(method: "GET", target: "/a").proxyForm == nil)
    }

    @Test func theCAMustBeACAWithItsKey() throws {
        let ca = try Self.pem("ca.pem"), caKey = try Self.pem("ca-key.pem")
        let server = try Self.pem("server.pem"), serverKey = try Self.pem("server-key.pem")
        #expect(try CertificateAuthority(certificatePEM: ca, privateKeyPEM: caKey).certificatePEM == ca)
        #expect(throws: TLSError.self) { try CertificateAuthority(certificatePEM: server, privateKeyPEM: serverKey) }
        #expect(throws: TLSError.self) { try CertificateAuthority(certificatePEM: ca, privateKeyPEM: serverKey) }
        #expect(throws: TLSError.self) { try CertificateAuthority(certificatePEM: "not a certificate", privateKeyPEM: caKey) }
        let authority = try CertificateAuthority(certificatePEM: ca, privateKeyPEM: caKey)
        for host in ["acme.atlassian.net", "127.0.0.1", "[::1]"] { _ = try authority.mintContext(for: host) }
        #expect(throws: TLSError.self) { try authority.mintContext(for: "a,b") }
        do {
            _ = try CertificateAuthority(certificatePEM: server, privateKeyPEM: serverKey)
        } catch {
            #expect(error.message.contains("not a CA certificate"))
        }
    }

    @Test func aTunnelPresentsACertificateForItsHostAndMarksItsRequests() throws {
        var configuration = HTTPServerConfiguration()
        configuration.limits = EchoServer.fastLimits
        configuration.tunnels = TunnelCertificates(authority: try CertificateAuthority(certificatePEM: try Self.pem("ca.pem"), privateKeyPEM: try Self.pem("ca-key.pem")))
        let server = HTTPServer(configuration: configuration, handler: ClosureHandler { request in
            if case .connect(let host, _)? = request.proxyForm {
                guard host.hasSuffix(".atlassian.net") else { return .text("not this one", status: .forbidden) }
                var tunnel = HTTPResponse()
                tunnel.tunnel = host
                return tunnel
            }
            return .json(["addressedHost": request.addressedHost.map { .string($0) } ?? .null, "secure": .bool(request.isSecure), "path": .string(request.path)])
        })
        try server.start()
        defer { server.stop() }
        let proxy = "http://127.0.0.1:\(server.port)"
        let ca = EchoServer.certs.appendingPathComponent("ca.pem").path
        for host in ["acme.atlassian.net", "globex.atlassian.net", "acme.atlassian.net"] {
            let answer = try runProcess("curl", ["-sS", "--max-time", "10", "-x", proxy, "--cacert", ca, "https://\(host)/wiki/x"])
            #expect(answer.status == 0, "\(answer.stderr)")
            #expect(try JSONValue.parse(answer.stdout) == ["addressedHost": .string(host), "secure": true, "path": "/wiki/x"])
        }
        let refused = try runProcess("curl", ["-sS", "--max-time", "10", "-x", proxy, "--cacert", ca, "https://example.com/"])
        #expect(refused.status == 56 && refused.stderr.contains("403"))
    }
}
