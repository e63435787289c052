import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import AuthMockHTTP

/// The outbound client the mock calls apps with (lifecycle hooks, Forge remotes).
@Suite struct HTTPClientTests {
    @Test func sendsHeadersAndBodyAndReadsAContentLengthAnswer() throws {
        let server = try EchoServer.start()
        defer { server.stop() }
        let body = Array(#"{"a":1}"#.utf8)
        let response = try HTTPClient.send(method: "POST", url: "http://127.0.0.1:\(server.port)/installed?x=1", headers: ["Authorization": "JWT abc"], body: body)
        let echo = try JSONValue.parse(response.body)
        #expect(response.status == 200)
        #expect(echo["path"] == "/installed" && echo["rawPath"] == "/installed")
        #expect(echo["headers"]?["authorization"] == "JWT abc" && echo["headers"]?["content-length"] == "7")
        #expect(echo["bodyHash"]?.stringValue == fnv1a(body))
    }

    @Test func readsChunkedAndCloseDelimitedBodies() throws {
        let chunked = try CannedPeer.answer("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        #expect(chunked.status == 201 && chunked.bodyText == "hello world")
        let closed = try CannedPeer.answer("HTTP/1.0 500 Oops\r\nX-A: b\r\n\r\nno length here")
        #expect(closed.status == 500 && closed.bodyText == "no length here" && closed.headers["x-a"] == "b")
    }

    @Test func failuresAreErrorsNotCrashes() throws {
        #expect(throws: HTTPClientError.self) { try CannedPeer.answer("not http at all\r\n\r\n") }
        #expect(throws: HTTPClientError.self) { try CannedPeer.answer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort") }
        #expect(throws: HTTPClientError.self) { try CannedPeer.answer("") }
        let refused = #expect(throws: HTTPClientError.self) { try HTTPClient.send(method: "GET", url: "http://127.0.0.1:1/") }
        #expect(refused?.description.contains("cannot connect") == true)
        let ftp = #expect(throws: HTTPClientError.self) { try HTTPClient.send(method: "GET", url: "ftp://example.com/") }
        #expect(ftp?.description == "ftp://example.com/ is not an http:// or https:// URL")
        #expect(throws: HTTPClientError.self) { try HTTPClient.send(method: "GET", url: "http://127.0.0.1:99999/") }
    }

    @Test func aSilentPeerTimesOut() throws {
        let error = #expect(throws: HTTPClientError.self) { try CannedPeer.answer(nil, timeout: 0.3) }
        #expect(error?.description.contains("did not answer in time") == true)
    }
}

/// `https://` calls: the certificate is checked against the trust and the URL's host, as an app's
/// real endpoint would be by Confluence.
@Suite struct HTTPClientTLSTests {
    static let server = try! EchoServer.start(tls: true)
    static let testCA = OutboundTLS(caFile: EchoServer.certs.appendingPathComponent("ca.pem").path)
    var port: Int { Self.server.tlsPort! }

    @Test func trustsTheTestCAForEveryNameOnTheCertificate() throws {
        for host in ["localhost", "127.0.0.1"] {  // a DNS name and an IP address entry (the echo server listens on IPv4 only)
            let response = try HTTPClient.send(method: "POST", url: "https://\(host):\(port)/installed", body: Array("{}".utf8), tls: Self.testCA)
            let echo = try JSONValue.parse(response.body)
            #expect(response.status == 200 && echo["secure"] == true && echo["path"] == "/installed", "\(host)")
        }
    }

    @Test func refusesAnUntrustedCertificateOrAnotherName() throws {
        let untrusted = #expect(throws: HTTPClientError.self) { try HTTPClient.send(method: "GET", url: "https://localhost:\(port)/") }
        #expect(untrusted?.description.contains("TLS handshake with localhost failed: unable to get local issuer certificate") == true)
        // "127.1" reaches 127.0.0.1 (inet_aton's short form) but is a host name, and not one the certificate names.
        let otherName = #expect(throws: HTTPClientError.self) { try HTTPClient.send(method: "GET", url: "https://127.1:\(port)/", tls: Self.testCA) }
        #expect(otherName?.description.contains("hostname mismatch") == true)
    }

    @Test func insecureAcceptsAnyCertificate() throws {
        let response = try HTTPClient.send(method: "GET", url: "https://127.1:\(port)/anything", tls: OutboundTLS(verifyPeer: false))
        let echo = try JSONValue.parse(response.body)
        #expect(response.status == 200 && echo["secure"] == true)
    }

    @Test func aMissingCAFileIsReportedByName() throws {
        let missing = OutboundTLS(caFile: "/nonexistent/ca.pem")
        let error = #expect(throws: TLSError.self) { try missing.validate() }
        #expect(error?.message.hasPrefix("loading CA certificates from /nonexistent/ca.pem") == true)
        let call = #expect(throws: HTTPClientError.self) { try HTTPClient.send(method: "GET", url: "https://localhost:\(port)/", tls: missing) }
        #expect(call?.description.contains("/nonexistent/ca.pem") == true)
    }

    @Test func plainHTTPToATLSPortFailsCleanly() throws {
        #expect(throws: HTTPClientError.self) { try HTTPClient.send(method: "GET", url: "http://127.0.0.1:\(port)/", timeoutSeconds: 2) }
        let notTLS = try EchoServer.start()
        defer { notTLS.stop() }
        let error = #expect(throws: HTTPClientError.self) {
            try HTTPClient.send(method: "GET", url: "https://127.0.0.1:\(notTLS.port)/", timeoutSeconds: 2, tls: Self.testCA)
        }
        #expect(error?.description.contains("TLS handshake with 127.0.0.1 failed") == true)
    }
}

/// A one-shot TCP peer that reads the request head, writes canned bytes (or nothing) and closes.
enum CannedPeer {
    static func answer(_ canned: String?, timeout: Double = 5) throws -> HTTPClientResponse {
        let listener = try Listener.bind(host: "127.0.0.1", port: 0, isSecure: false)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let fd = accept(listener.fd, nil, nil)
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = recv(fd, &buffer, buffer.count, 0)
            if let canned { _ = canned.utf8CString.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) } } else { done.wait() }
            close(fd)
        }
        defer {
            done.signal()
            close(listener.fd)
        }
        return try HTTPClient.send(method: "GET", url: "http://127.0.0.1:\(listener.port)/", timeoutSeconds: timeout)
    }
}
