import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import AuthMockHTTP

/// HTTPS with the test CA, verified by curl (`--cacert certs/ca.pem`). URLSession is not used for
/// HTTPS here: on Linux, FoundationNetworking offers no way to trust an extra CA (no server-trust
/// challenge, and its `URLSessionCAInfo` variable is read on Android only), so it cannot verify
/// the test certificate without changing the machine's trust store.
@Suite(.serialized) struct TLSTests {
    static let server = try! EchoServer.start(tls: true)
    static let caFile = EchoServer.certs.appendingPathComponent("ca.pem").path
    var port: Int { Self.server.tlsPort! }

    private func curl(_ arguments: [String]) throws -> ProcessOutput {
        try runProcess("curl", ["-sS", "--max-time", "10", "--cacert", Self.caFile] + arguments)
    }

    @Test func curlVerifiesTheCertificateForEveryLoopbackName() throws {
        for host in ["localhost", "127.0.0.1"] {
            let result = try curl(["https://\(host):\(port)/secure"])
            #expect(result.status == 0, "\(host): \(result.stderr)")
            let echoed = try JSONValue.parse(result.stdout)
            #expect(echoed["secure"] == true)
            #expect(echoed["path"] == "/secure")
        }
        // Without the test CA the chain is refused: the server really presents that certificate.
        let untrusted = try runProcess("curl", ["-sS", "https://localhost:\(port)/"])
        #expect(untrusted.status == 60)
    }

    @Test func negotiatesTLS12And13WithHTTP11ALPN() throws {
        let v13 = try curl(["-v", "--tlsv1.3", "https://localhost:\(port)/v13"])
        #expect(v13.stderr.contains("TLSv1.3"))
        #expect(v13.stderr.contains("ALPN: server accepted http/1.1") || v13.stderr.contains("ALPN, server accepted to use http/1.1"))
        let v12 = try curl(["-v", "--tlsv1.2", "--tls-max", "1.2", "https://localhost:\(port)/v12"])
        #expect(v12.status == 0)
        #expect(v12.stderr.contains("TLSv1.2"))
        let old = try curl(["--tlsv1.1", "--tls-max", "1.1", "https://localhost:\(port)/"])
        #expect(old.status != 0, "TLS 1.1 must be refused")
    }

    @Test func keepAliveAndChunkedUploadOverTLS() throws {
        let result = try curl(["-w", "\\n%{num_connects}\\n", "-H", "Transfer-Encoding: chunked", "--data-binary", "hello over tls",
                               "https://localhost:\(port)/a", "https://localhost:\(port)/b"])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(try JSONValue.parse(lines[0])["bodyLength"] == 14)
        #expect(lines[3] == "0")
    }

    @Test func aFailedHandshakeTouchesNoOtherConnection() throws {
        let good = try RawClient(port: port)  // connected, handshake not yet started
        let garbage = try RawClient(port: port)
        garbage.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")  // plain HTTP to the TLS port
        #expect(garbage.readUntilClose(timeout: 5).closed)
        _ = good
        let result = try curl(["https://localhost:\(port)/after-bad-handshake"])
        #expect(try JSONValue.parse(result.stdout)["path"] == "/after-bad-handshake")
    }

    @Test func expectContinueAndHeadOverTLS() throws {
        let folder = try makeTemporaryDirectory()
        try Data(repeating: 9, count: 100_000).write(to: folder.appendingPathComponent("b"))
        let continued = try curl(["-v", "-H", "Expect: 100-continue", "--expect100-timeout", "15", "--data-binary",
                                  "@\(folder.appendingPathComponent("b").path)", "https://localhost:\(port)/continue"])
        #expect(continued.stderr.contains("HTTP/1.1 100 Continue"))
        #expect(try JSONValue.parse(continued.stdout)["bodyLength"] == 100_000)
        let head = try curl(["-I", "https://localhost:\(port)/big"])
        #expect(head.stdout.contains("Content-Length: 8388608"))
    }

    @Test func fiftyParallelTLSClientsWhileTwoHundredSocketsIdle() throws {
        let idle = try (0..<200).map { _ in try RawClient(port: port) }  // TCP open, no handshake
        let urls = (0..<50).map { "https://localhost:\(port)/parallel/\($0)" }
        let result = try curl(["--parallel", "--parallel-immediate", "--parallel-max", "50", "-w", "\\n%{http_code}\\n"] + urls)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.components(separatedBy: "\n").filter { $0 == "200" }.count == 50)
        for index in 0..<50 { #expect(result.stdout.contains("\"path\":\"/parallel/\(index)\"")) }
        _ = idle
    }

    @Test func aTLSClientAbortingMidResponseDoesNotHurtTheServer() throws {
        let aborted = Process()
        aborted.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        aborted.arguments = ["curl", "-sS", "--cacert", Self.caFile, "--limit-rate", "100k", "-o", "/dev/null", "https://localhost:\(port)/big"]
        try launch(aborted)
        Thread.sleep(forTimeInterval: 0.3)
        // SIGKILL, as a crash would: the test runner's threads block SIGTERM, and children inherit that mask.
        kill(aborted.processIdentifier, SIGKILL)
        aborted.waitUntilExit()
        #expect(aborted.terminationReason == .uncaughtSignal)
        let result = try curl(["https://localhost:\(port)/after-abort"])
        #expect(try JSONValue.parse(result.stdout)["path"] == "/after-abort")
    }
}
