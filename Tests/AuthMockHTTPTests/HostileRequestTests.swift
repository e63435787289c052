import Foundation
import Testing
import TestSupport
@testable import AuthMockHTTP

/// Malformed and hostile requests over a real socket: each gets its status, the connection is
/// closed (framing can't be trusted any more), and the server goes on serving everyone else.
@Suite(.serialized) struct HostileRequestTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let status: Int
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ status: Int) {
            self.init(name, Array(text.utf8), status)
        }

        init(_ name: String, _ bytes: [UInt8], _ status: Int) {
            self.name = name
            self.bytes = bytes
            self.status = status
        }
    }

    static let cases: [Case] = [
        Case("Content-Length with Transfer-Encoding", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        Case("differing Content-Lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400),
        Case("Content-Length list with differing values", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\nhello!", 400),
        Case("non-numeric Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400),
        Case("negative Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
        Case("Content-Length over the body limit", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n", 413),
        Case("chunk size not hex", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400),
        Case("chunk size with 0x prefix", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n", 400),
        Case("chunk size overflowing", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n", 400),
        Case("chunk longer than its size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n", 400),
        Case("chunked body over the limit", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n", 413),
        Case("bad trailer field", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer: x\r\n\r\n", 400),
        Case("unknown Transfer-Encoding alone", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
        Case("unsupported coding before chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
        Case("chunked twice", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400),
        Case("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        Case("space inside a header name", "GET / HTTP/1.1\r\nHost: x\r\nBad Header: x\r\n\r\n", 400),
        Case("space before the colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400),
        Case("header line without a colon", "GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400),
        Case("empty header name", "GET / HTTP/1.1\r\nHost: x\r\n: value\r\n\r\n", 400),
        Case("NUL in a header value", Array("GET / HTTP/1.1\r\nHost: x\r\nX-A: a".utf8) + [0] + Array("b\r\n\r\n".utf8), 400),
        Case("control character in a header value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{01}b\r\n\r\n", 400),
        Case("DEL in a header value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{7F}b\r\n\r\n", 400),
        Case("obsolete line folding", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  folded\r\n\r\n", 400),
        Case("bare CR in a header", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", 400),
        Case("bare CR in the request line", "GET /\rx HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        Case("missing Host in HTTP/1.1", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400),
        Case("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        Case("garbage request line", "HELLO\r\n\r\n", 400),
        Case("double space in the request line", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        Case("lower-case version", "GET / http/1.1\r\nHost: x\r\n\r\n", 400),
        Case("HTTP/2.0 over HTTP/1 framing", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        Case("HTTP/1.2", "GET / HTTP/1.2\r\nHost: x\r\n\r\n", 505),
        Case("version with a suffix", "GET / HTTP/1.1x\r\nHost: x\r\n\r\n", 400),
        Case("invalid method character", "G@T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        Case("control character in the target", "GET /a\u{01}b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        Case("target neither path nor URL", "GET example HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        Case("ftp absolute-form target", "GET ftp://h/x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        Case("bad percent-encoding in the path", "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        Case("encoded NUL in the path", "GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        Case("request line over 8 KiB", "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        Case("header block over 32 KiB", "GET / HTTP/1.1\r\nHost: x\r\n" + (0..<40).map { "X-\($0): " + String(repeating: "v", count: 1000) + "\r\n" }.joined() + "\r\n", 431),
        Case("more than 100 header fields", "GET / HTTP/1.1\r\nHost: x\r\n" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431),
        Case("unsupported expectation", "POST / HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\nhi", 417),
        Case("binary garbage", (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 5) } + Array("\r\n\r\n".utf8), 400),
        Case("a flood of empty lines", String(repeating: "\r\n", count: 10) + "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ]

    static let server = try! EchoServer.start()

    @Test func thereAreEnoughCases() { #expect(Self.cases.count >= 30) }

    @Test(arguments: cases)
    func isRefusedAndTheServerKeepsServing(_ hostile: Case) throws {
        let client = try RawClient(port: Self.server.port)
        client.send(hostile.bytes)
        let response = try client.readResponse()
        #expect(response.status == hostile.status, "\(hostile.name): \(response.headText) \(response.bodyText)")
        #expect(response.header("Connection") == "close")
        #expect(client.readUntilClose(timeout: 2).closed, "connection should close after \(hostile.name)")
        #expect(try assertServerStillServes(Self.server))
    }
}
