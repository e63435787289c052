import AuthMockFormats
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
@testable import AuthMockHTTP

/// Each wire fault as a real client experiences it; the server keeps serving after every one.
@Suite(.serialized) struct WireFaultTests {
    static let server = try! EchoServer.start()
    var base: String { "http://127.0.0.1:\(Self.server.port)" }

    /// curl's exit codes: 56 receive failure (reset), 52 empty reply, 1/8 not HTTP, 18 partial body.
    @Test(arguments: [("reset", [56]), ("close", [52]), ("garbage", [1, 8]), ("truncate", [18])])
    func curlSeesTheFault(kind: String, exitCodes: [Int32]) throws {
        let result = try runProcess("curl", ["-sS", "--max-time", "10", "\(base)/fault/\(kind)"])
        #expect(exitCodes.contains(result.status), "\(kind): curl exited \(result.status): \(result.stderr)")
        #expect(try assertServerStillServes(Self.server))
    }

    @Test func resetIsARealRST() throws {
        let client = try RawClient(port: Self.server.port)
        client.send("GET /fault/reset HTTP/1.1\r\nHost: x\r\n\r\n")
        var buffer = [UInt8](repeating: 0, count: 16)
        var poller = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&poller, 1, 5000)
        let count = recv(client.fd, &buffer, buffer.count, 0)
        #expect(count == -1 && errno == ECONNRESET)
    }

    @Test func truncateAnnouncesTheWholeBodyButSendsHalf() throws {
        let client = try RawClient(port: Self.server.port)
        client.send("GET /fault/truncate HTTP/1.1\r\nHost: x\r\n\r\n")
        let (bytes, closed) = client.readUntilClose()
        let response = try #require(RawResponse.parse(bytes, allowShortBody: true))
        #expect(closed)
        #expect(response.header("Content-Length") == "1000")
        #expect(response.body.count == 500)
    }

    @Test func slowDribblesTheBodyInPieces() throws {
        let client = try RawClient(port: Self.server.port)
        client.send("GET /fault/slow HTTP/1.1\r\nHost: x\r\n\r\n")
        var reads: [[UInt8]] = []
        var total: [UInt8] = []
        while RawResponse.parse(total) == nil, case .data(let chunk) = client.readSome(timeout: 5) {
            reads.append(chunk)
            total += chunk
        }
        let response = try #require(RawResponse.parse(total))
        #expect(response.bodyText == String(repeating: "z", count: 20))
        #expect(reads.count >= 5, "20 bytes at 40 B/s arrive in 4-byte slices, not at once (\(reads.count) reads)")
    }

    @Test func slowTakesTheTimeTheBodysSizeNeeds() throws {
        let client = try RawClient(port: Self.server.port)
        let started = ContinuousClock.now
        client.send("GET /fault/slow-small HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        let took = ContinuousClock.now - started
        #expect(response.bodyText == String(repeating: "s", count: 30))
        #expect(took >= .milliseconds(290), "30 bytes at 100 B/s take 0.3 s, in three slices: \(took)")
    }

    @Test func delayedAndGarbageResponsesSeenByURLSession() async throws {
        let session = URLSession(configuration: .ephemeral)
        let (data, _) = try await session.data(from: URL(string: "\(base)/delay")!)
        #expect(String(decoding: data, as: UTF8.self) == "late")
        for kind in ["reset", "close", "truncate"] {
            await #expect(throws: (any Error).self, "\(kind) must fail the URLSession task") {
                _ = try await session.data(from: URL(string: "\(base)/fault/\(kind)")!)
            }
        }
    }
}
