import AuthMockFormats
import Foundation
import TestSupport
@testable import AuthMockHTTP

/// A server for tests whose handler describes the request back as JSON, plus a few special paths:
/// `/big` (an 8 MiB body), `/slow-handler` (answers after 300 ms), `/delay-long` (after a 1 s delay), `/fault/{kind}` (wire faults; `/fault/slow-small` is 30 bytes at 100 a second).
enum EchoServer {
    static let certs = repositoryRoot.appendingPathComponent("certs")

    static var fastLimits: HTTPLimits {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 1024 * 1024
        limits.headerTimeout = 1
        limits.idleTimeout = 3
        limits.bodyTimeout = 1
        return limits
    }

    static func start(host: String = "127.0.0.1", port: Int = 0, tls: Bool = false, limits: HTTPLimits = fastLimits,
                      eventLoops: Int? = nil) throws -> HTTPServer {
        var configuration = HTTPServerConfiguration(host: host, port: port)
        configuration.limits = limits
        if let eventLoops { configuration.eventLoops = eventLoops }
        if tls {
            configuration.tls = TLSConfiguration(certificatePath: certs.appendingPathComponent("server.pem").path,
                                                 privateKeyPath: certs.appendingPathComponent("server-key.pem").path)
        }
        let server = HTTPServer(configuration: configuration, handler: ClosureHandler(respond))
        try server.start()
        return server
    }

    static let bigBody = [UInt8](repeating: UInt8(ascii: "x"), count: 8 * 1024 * 1024)

    @Sendable static func respond(_ request: HTTPRequest) -> HTTPResponse {
        switch request.path {
        case "/big":
            return HTTPResponse(headers: ["Content-Type": "text/plain"], body: bigBody)
        case "/slow-handler":
            Thread.sleep(forTimeInterval: 0.3)
            return .text("done")
        case "/fault/reset": return HTTPResponse(wireFault: .reset)
        case "/fault/close": return HTTPResponse(wireFault: .close)
        case "/fault/garbage": return HTTPResponse(wireFault: .garbage(byteCount: 64))
        case "/fault/truncate": return .text(String(repeating: "y", count: 1000)).with(fault: .truncate)
        case "/fault/slow": return .text(String(repeating: "z", count: 20)).with(fault: .slow(bytesPerSecond: 40))
        case "/fault/slow-small": return .text(String(repeating: "s", count: 30)).with(fault: .slow(bytesPerSecond: 100))
        case "/delay": return HTTPResponse(body: Array("late".utf8), delayMilliseconds: 200)
        case "/delay-long": return HTTPResponse(body: Array("late".utf8), delayMilliseconds: 1000)
        case "/inject": return HTTPResponse(headers: ["X-Evil": "a\r\nSet-Cookie: pwned=1"], body: Array("ok".utf8))
        default:
            return .json(describe(request))
        }
    }

    static func describe(_ request: HTTPRequest) -> JSONValue {
        .object(JSONObject([
            ("method", .string(request.method)),
            ("path", .string(request.path)),
            ("rawPath", .string(request.rawPath)),
            ("query", .array(request.query.map { .array([.string($0.name), .string($0.value)]) })),
            ("headers", .object(JSONObject(request.headers.fields.map { ($0.name.lowercased(), JSONValue.string($0.value)) }))),
            ("bodyLength", .int(request.body.count)),
            ("bodyHash", .string(fnv1a(request.body))),
            ("secure", .bool(request.isSecure)),
            ("remote", .string(request.remoteAddress)),
        ]))
    }
}

extension HTTPResponse {
    func with(fault: WireFault) -> HTTPResponse {
        var copy = self
        copy.wireFault = fault
        return copy
    }
}

/// FNV-1a of bytes, as the echo handler reports it, so a test can compare bodies without echoing them.
func fnv1a(_ bytes: [UInt8]) -> String {
    String(bytes.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 }, radix: 16)
}

/// Sends one request on a fresh connection and asserts the server still answers normally.
func assertServerStillServes(_ server: HTTPServer) throws -> Bool {
    let client = try RawClient(port: server.port)
    client.send("GET /still-alive HTTP/1.1\r\nHost: localhost\r\n\r\n")
    let response = try client.readResponse()
    return response.status == 200 && response.bodyText.contains("/still-alive")
}
