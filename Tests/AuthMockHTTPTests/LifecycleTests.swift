import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import AuthMockHTTP

@Suite(.serialized) struct LifecycleTests {
    @Test func stopFreesThePortForAnImmediateRestart() throws {
        let first = try EchoServer.start()
        let port = first.port
        #expect(try assertServerStillServes(first))
        let keptAlive = try RawClient(port: port)  // a keep-alive connection left open across the stop
        keptAlive.send("GET /k HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try keptAlive.readResponse()
        first.stop()
        #expect(keptAlive.readUntilClose(timeout: 2).closed, "stop must close idle keep-alive connections")
        #expect(throws: RawClientError.self) { try RawClient(port: port) }

        let second = try EchoServer.start(port: port)
        defer { second.stop() }
        #expect(second.port == port)
        #expect(try assertServerStillServes(second))
    }

    @Test func stopLetsARequestInFlightFinish() throws {
        let server = try EchoServer.start()
        let client = try RawClient(port: server.port)
        client.send("GET /slow-handler HTTP/1.1\r\nHost: x\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.05)
        server.stop()
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "done")
        #expect(response.header("Connection") == "close")
    }

    /// Housekeeping runs on a timer whatever the traffic, and ends with the server.
    @Test func maintenanceRunsWithoutTrafficUntilStop() throws {
        final class Counting: HTTPHandler {
            let calls = Lock(0)
            func respond(to request: HTTPRequest) -> HTTPResponse { .text("ok") }
            func maintain() { calls.withLock { $0 += 1 } }
        }
        let handler = Counting()
        var configuration = HTTPServerConfiguration()
        configuration.maintenanceInterval = 0.02
        let server = HTTPServer(configuration: configuration, handler: handler)
        try server.start()
        let deadline = Date().addingTimeInterval(5)
        while handler.calls.withLock({ $0 }) < 3 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        server.stop()
        let atStop = handler.calls.withLock { $0 }
        #expect(atStop >= 3)
        Thread.sleep(forTimeInterval: 0.1)
        #expect(handler.calls.withLock { $0 } == atStop, "no housekeeping after stop")
    }

    @Test func portZeroGivesDistinctEphemeralPorts() throws {
        let a = try EchoServer.start(), b = try EchoServer.start()
        defer { a.stop(); b.stop() }
        #expect(a.port > 0 && b.port > 0 && a.port != b.port)
        #expect(throws: SocketError.self) { try EchoServer.start(port: a.port) }
    }

    @Test func servesIPv6Loopback() throws {
        let server = try EchoServer.start(host: "::1")
        defer { server.stop() }
        #expect(server.boundHost == "::1")
        let client = try RawClient(port: server.port, host: "::1")
        client.send("GET /v6 HTTP/1.1\r\nHost: [::1]\r\n\r\n")
        let echoed = try JSONValue.parse(try client.readResponse().body)
        #expect(echoed["remote"]?.stringValue?.hasPrefix("[::1]:") == true)
        let curl = try runProcess("curl", ["-sS", "-g", "http://[::1]:\(server.port)/v6-curl"])
        #expect(try JSONValue.parse(curl.stdout)["path"] == "/v6-curl")
    }

    @Test func aHalfSentHeadGets408AfterTheHeaderTimeout() throws {
        let server = try EchoServer.start()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        client.send("GET /never-finished HTTP/1.1\r\nHost: x\r\n")
        let response = try client.readResponse(timeout: 5)
        #expect(response.status == 408)
        #expect(client.readUntilClose(timeout: 2).closed)
    }

    /// Connections that wait (between requests, or in the middle of a head) give up their threads
    /// and are served again as soon as they write; a new client is served meanwhile.
    @Test func waitingConnectionsAreParkedAndServedWhenTheyWrite() throws {
        let server = try EchoServer.start()
        defer { server.stop() }
        var idle: [RawClient] = [], halfSent: [RawClient] = []
        for _ in 0..<100 {
            let client = try RawClient(port: server.port)
            client.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            idle.append(client)
            let slow = try RawClient(port: server.port)
            slow.send("GET /slow-head HTTP/1.1\r\n")
            halfSent.append(slow)
        }
        let deadline = Date().addingTimeInterval(5)
        while server.connectionsOnLoops < 200 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(server.connectionsOnLoops == 200)
        #expect(try assertServerStillServes(server))
        halfSent[0].send("Host: x\r\n\r\n")
        let completed = try halfSent[0].readResponse()
        #expect(completed.status == 200 && completed.bodyText.contains("/slow-head"))
        idle[0].send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try idle[0].readResponse().bodyText.contains("/again"))
        // The rest of the half-sent heads still run out of time: 408 at the header timeout.
        #expect(try halfSent[1].readResponse(timeout: 5).status == 408)
    }

    @Test func aStalledBodyGets408() throws {
        let server = try EchoServer.start()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        client.send("POST /stall HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        #expect(try client.readResponse(timeout: 5).status == 408)
    }

    @Test func anIdleKeepAliveConnectionIsClosedQuietly() throws {
        var limits = EchoServer.fastLimits
        limits.idleTimeout = 0.3
        let server = try EchoServer.start(limits: limits)
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        client.send("GET /once HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        let (bytes, closed) = client.readUntilClose(timeout: 5)
        #expect(closed)
        #expect(bytes.isEmpty, "an idle close sends nothing, not a 408")
    }

    @Test func twoServersInOneProcessAreIndependent() throws {
        let a = try EchoServer.start(), b = try EchoServer.start()
        a.stop()
        defer { b.stop() }
        #expect(try assertServerStillServes(b))
    }
}
