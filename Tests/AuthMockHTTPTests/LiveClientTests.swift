import AuthMockFormats
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
@testable import AuthMockHTTP

/// The server as real clients see it: curl and URLSession over loopback.
@Suite(.serialized) struct LiveClientTests {
    static let server = try! EchoServer.start()
    var base: String { "http://127.0.0.1:\(Self.server.port)" }

    private func curl(_ arguments: [String]) throws -> ProcessOutput {
        try runProcess("curl", ["-sS", "--max-time", "20"] + arguments)
    }

    @Test func curlReusesOneKeepAliveConnection() throws {
        let result = try curl(["-w", "\\n%{num_connects}\\n", "\(base)/one", "\(base)/two"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let first = try JSONValue.parse(lines[0]), second = try JSONValue.parse(lines[2])
        #expect(first["path"] == "/one" && second["path"] == "/two")
        #expect(first["remote"] == second["remote"], "second request should reuse the connection")
        #expect(lines[3] == "0", "curl opened a new connection for the second request")
    }

    @Test func urlSessionReusesTheConnectionAndSeesTheHeaders() async throws {
        let session = URLSession(configuration: .ephemeral)
        let (data1, response1) = try await session.data(from: URL(string: "\(base)/a?x=1&x=2")!)
        let (data2, _) = try await session.data(from: URL(string: "\(base)/b")!)
        let http = try #require(response1 as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        #expect(http.value(forHTTPHeaderField: "Content-Type") == "application/json;charset=UTF-8")
        #expect(http.value(forHTTPHeaderField: "Date")?.hasSuffix(" GMT") == true)
        #expect(http.value(forHTTPHeaderField: "Content-Length") == String(data1.count))
        let first = try JSONValue.parse(Array(data1)), second = try JSONValue.parse(Array(data2))
        #expect(first["query"] == [["x", "1"], ["x", "2"]])
        #expect(first["remote"] == second["remote"])
    }

    @Test func curlChunkedUpload() throws {
        let folder = try makeTemporaryDirectory()
        let body = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let file = folder.appendingPathComponent("body.bin")
        try Data(body).write(to: file)
        let result = try curl(["-H", "Transfer-Encoding: chunked", "--data-binary", "@\(file.path)", "\(base)/upload"])
        let echoed = try JSONValue.parse(result.stdout)
        #expect(echoed["headers"]?["transfer-encoding"] == "chunked")
        #expect(echoed["bodyLength"] == .int(body.count))
        #expect(echoed["bodyHash"] == .string(fnv1a(body)))
    }

    @Test func urlSessionStreamsAChunkedUpload() async throws {
        let body = Array(repeating: Array("chunk-".utf8), count: 5000).flatMap { $0 }
        var request = URLRequest(url: URL(string: "\(base)/stream")!)
        request.httpMethod = "POST"
        request.httpBodyStream = InputStream(data: Data(body))
        let (data, _) = try await URLSession(configuration: .ephemeral).data(for: request)
        let echoed = try JSONValue.parse(Array(data))
        #expect(echoed["headers"]?["transfer-encoding"] == "chunked")
        #expect(echoed["bodyHash"] == .string(fnv1a(body)))
    }

    @Test func expectContinueWaitsForTheInterimResponse() throws {
        let client = try RawClient(port: Self.server.port)
        client.send("POST /continue HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        guard case .data(let interim) = client.readSome(timeout: 5) else { Issue.record("no 100 Continue"); return }
        #expect(String(decoding: interim, as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
        client.send("hello")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(try JSONValue.parse(response.body)["bodyLength"] == 5)

        let folder = try makeTemporaryDirectory()
        try Data(repeating: 7, count: 200_000).write(to: folder.appendingPathComponent("b"))
        let verbose = try curl(["-v", "-H", "Expect: 100-continue", "--expect100-timeout", "15", "--data-binary",
                                "@\(folder.appendingPathComponent("b").path)", "\(base)/continue"])
        #expect(verbose.stderr.contains("HTTP/1.1 100 Continue"))
        #expect(try JSONValue.parse(verbose.stdout)["bodyLength"] == 200_000)
    }

    @Test func headAnswersTheGetHeadWithoutABody() throws {
        let result = try curl(["-I", "\(base)/big"])
        #expect(result.stdout.contains("Content-Length: 8388608"))
        let client = try RawClient(port: Self.server.port)
        client.send("HEAD /big HTTP/1.1\r\nHost: x\r\n\r\nGET /after-head HTTP/1.1\r\nHost: x\r\n\r\n")
        let text = String(decoding: client.readUntilClose(timeout: 1).bytes, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK"))
        #expect(text.contains("\r\n\r\nHTTP/1.1 200 OK"), "the HEAD response must have no body")
        #expect(text.contains("/after-head"))
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let client = try RawClient(port: Self.server.port)
        client.send("GET /p1 HTTP/1.1\r\nHost: x\r\n\r\nGET /p2 HTTP/1.1\r\nHost: x\r\n\r\nGET /p3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let (bytes, closed) = client.readUntilClose()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(closed)
        let order = ["/p1", "/p2", "/p3"].map { text.range(of: "\"path\":\"\($0)\"")?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order[0]! < order[1]! && order[1]! < order[2]!)
    }

    @Test func http10ClosesUnlessAskedToKeepAlive() throws {
        let plain = try RawClient(port: Self.server.port)
        plain.send("GET /old HTTP/1.0\r\n\r\n")
        let response = try plain.readResponse()
        #expect(response.status == 200 && response.header("Connection") == "close")
        #expect(plain.readUntilClose(timeout: 2).closed)

        let kept = try RawClient(port: Self.server.port)
        kept.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.readResponse().header("Connection") == "keep-alive")
        kept.send("GET /again HTTP/1.0\r\n\r\n")
        #expect(try kept.readResponse().bodyText.contains("/again"))
    }

    @Test func fiftyParallelClients() async throws {
        let session = URLSession(configuration: .ephemeral)
        let base = self.base
        let paths = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<50 {
                group.addTask {
                    let (data, response) = try await session.data(from: URL(string: "\(base)/client/\(index)")!)
                    #expect((response as? HTTPURLResponse)?.statusCode == 200)
                    return try JSONValue.parse(Array(data))["path"]?.stringValue ?? ""
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(paths == Set((0..<50).map { "/client/\($0)" }))
    }

    @Test func twoHundredIdleSocketsDoNotDelayAnotherClient() throws {
        var idle: [RawClient] = []
        for index in 0..<200 {
            let client = try RawClient(port: Self.server.port)
            if index % 2 == 0 { client.send("GET /half-sent HTTP/1.1\r\nHo") }
            idle.append(client)
        }
        let result = try curl(["\(base)/while-200-idle"])
        #expect(result.status == 0)
        #expect(try JSONValue.parse(result.stdout)["path"] == "/while-200-idle")
        idle.removeAll()
        #expect(try assertServerStillServes(Self.server))
    }

    @Test func aClientAbortingMidResponseDoesNotHurtTheServer() throws {
        for _ in 0..<5 {
            let client = try RawClient(port: Self.server.port)
            client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = client.readSome(timeout: 5, maxBytes: 1024)
            client.abort()
        }
        #expect(try assertServerStillServes(Self.server))
    }

    @Test func headerInjectionFromAHandlerIsDefused() throws {
        let result = try curl(["-i", "\(base)/inject"])
        #expect(!result.stdout.contains("\r\nSet-Cookie"))
        #expect(result.stdout.contains("X-Evil: aSet-Cookie: pwned=1\r\n"))
    }

    @Test func clientsDisconnectingMidRequestDoNotHurtTheServer() throws {
        let partialHead = try RawClient(port: Self.server.port)
        partialHead.send("GET /cut HTTP/1.1\r\nHost: x\r\nX-Part")
        partialHead.abort()
        let partialBody = try RawClient(port: Self.server.port)
        partialBody.send("POST /cut HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-some")
        partialBody.abort()
        let partialChunk = try RawClient(port: Self.server.port)
        partialChunk.send("POST /cut HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc")
        partialChunk.abort()
        #expect(try assertServerStillServes(Self.server))
    }
}
