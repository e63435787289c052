import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import AuthMockHTTP

/// Plain-HTTP connections are served by event loops whose threads never wait: what must wait
/// (a delay, a reader that does not read, a body still arriving) moves to a thread of its own,
/// and the loop's other connections go on being served. One loop here, so every connection
/// shares it.
@Suite struct EventLoopTests {
    /// Waits for bodies and slow readers far longer than a test waits for an answer, so a loop that
    /// waited with them could not serve the other connections in time.
    private static var patientLimits: HTTPLimits {
        var limits = EchoServer.fastLimits
        limits.bodyTimeout = 30
        return limits
    }

    /// A new connection's request is answered (within five seconds).
    private func expectAnotherClientServed(by server: HTTPServer, path: String = "/meanwhile") throws {
        let other = try RawClient(port: server.port)
        other.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try other.readResponse(timeout: 5).status == 200)
    }

    /// The description of a request the echo handler answered, as JSON.
    private func echoed(_ response: RawResponse) throws -> JSONValue { try JSONValue.parse(Array(response.bodyText.utf8)) }

    @Test func aDelayedAnswerDoesNotHoldUpTheLoop() throws {
        let server = try EchoServer.start(eventLoops: 1)
        defer { server.stop() }
        let delayed = try RawClient(port: server.port)
        delayed.send("GET /delay-long HTTP/1.1\r\nHost: x\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.05)
        try expectAnotherClientServed(by: server)
        // Answered while the delayed one still waits its second out.
        guard case .timedOut = delayed.readSome(timeout: 0) else {
            Issue.record("the delayed answer came before the other connection's")
            return
        }
        #expect(try delayed.readResponse(timeout: 5).bodyText == "late")
    }

    @Test func aReaderThatDoesNotReadDoesNotHoldUpTheLoop() throws {
        let server = try EchoServer.start(limits: Self.patientLimits, eventLoops: 1)
        defer { server.stop() }
        let stalled = try RawClient(port: server.port)
        stalled.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")  // 8 MiB, never read
        Thread.sleep(forTimeInterval: 0.1)
        for index in 0..<5 {
            try expectAnotherClientServed(by: server, path: "/other-\(index)")
        }
    }

    @Test func aBodyThatArrivesAfterItsHeadIsReadWhileOthersAreServed() throws {
        let server = try EchoServer.start(limits: Self.patientLimits, eventLoops: 1)
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        client.send("POST /split HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.05)
        try expectAnotherClientServed(by: server)
        client.send("hello")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(try echoed(response)["bodyHash"] == .string(fnv1a(Array("hello".utf8))))
        // The connection goes on being served, on its own thread or back on the loop.
        client.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try echoed(client.readResponse())["path"] == "/after")
        Thread.sleep(forTimeInterval: 0.3)
        client.send("GET /later HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try echoed(client.readResponse())["path"] == "/later")
    }

    @Test func requestsSentTogetherAreAllAnsweredInOrder() throws {
        let server = try EchoServer.start(eventLoops: 1)
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        client.send((1...3).map { "GET /pipelined-\($0) HTTP/1.1\r\nHost: x\r\n\($0 == 3 ? "Connection: close\r\n" : "")\r\n" }.joined())
        let (bytes, closed) = client.readUntilClose()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(closed && text.components(separatedBy: "HTTP/1.1 200 OK").count == 4)
        let positions = (1...3).compactMap { text.range(of: "\"/pipelined-\($0)\"")?.lowerBound }
        #expect(positions.count == 3 && positions == positions.sorted())
    }

    @Test func aConnectionPerRequestIsServedEveryTime() throws {
        let server = try EchoServer.start(eventLoops: 2)
        defer { server.stop() }
        for index in 0..<200 {
            let client = try RawClient(port: server.port)
            client.send("GET /once-\(index) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200 && response.header("Connection") == "close")
            #expect(client.readUntilClose(timeout: 2).closed)
        }
    }
}
