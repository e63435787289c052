import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP
import ConfluenceAuthMock

/// One parser or checker, fed arbitrary bytes. It must never trap on them; where the code promises
/// a property (a round trip, a bound), the target checks it and traps if it does not hold, so the
/// fuzzer reports it.
struct FuzzTarget: Sendable {
    let name: String
    let run: @Sendable ([UInt8]) -> Void
}

enum FuzzTargets {
    static let all: [FuzzTarget] = [
        FuzzTarget(name: "http-request", run: httpRequest), FuzzTarget(name: "json", run: json),
        FuzzTarget(name: "form", run: form), FuzzTarget(name: "base64url", run: base64url),
        FuzzTarget(name: "jwt", run: jwt), FuzzTarget(name: "qsh", run: qsh),
        FuzzTarget(name: "route", run: route), FuzzTarget(name: "scenario", run: ScenarioFuzzing.run),
        FuzzTarget(name: "state", run: StateFuzzing.run), FuzzTarget(name: "sse", run: sse),
        FuzzTarget(name: "multipart", run: multipart),
    ]

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// A request head, its body framing (chunked included) and the request built from them.
    @Sendable static func httpRequest(_ bytes: [UInt8]) {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 64 * 1024
        bytes.withUnsafeBufferPointer { input in
            guard case .complete(let head, let length) = HTTPHeadParser.parse(input, limits: limits) else { return }
            precondition(length <= input.count, "a head longer than its input")
            guard let framing = try? BodyFraming.of(head, limits: limits) else { return }
            var body: [UInt8] = []
            switch framing {
            case .none:
                break
            case .contentLength(let count):
                body = Array(input[length..<min(input.count, length + count)])
            case .chunked:
                var decoder = ChunkedDecoder(limits: limits)
                guard let end = try? decoder.consume(input, from: length) else { return }
                precondition(end <= input.count, "chunked decoding past its input")
                body = decoder.body
            }
            _ = try? HTTPRequest(method: head.method, target: head.target, version: head.version, headers: head.headers, body: body)
        }
    }

    /// Whatever parses serializes to JSON that parses to the same serialization.
    @Sendable static func json(_ bytes: [UInt8]) {
        guard let value = try? JSONValue.parse(bytes) else { return }
        let serialized = value.serializedBytes
        guard let again = try? JSONValue.parse(serialized) else { preconditionFailure("serialized JSON does not parse") }
        precondition(again.serializedBytes == serialized, "serialization is not stable")
    }

    /// Form pairs and strict percent-decoding; encoding what was decoded decodes back to it.
    @Sendable static func form(_ bytes: [UInt8]) {
        let input = text(bytes)
        _ = FormDecoding.pairs(input)
        guard let decoded = PercentEncoding.decodeStrictly(input) else { return }
        precondition(PercentEncoding.decodeStrictly(PercentEncoding.encodeUnreserved(decoded)) == decoded, "percent-encoding does not round-trip")
    }

    /// Strict base64url: what decodes re-encodes to what decodes to the same bytes.
    @Sendable static func base64url(_ bytes: [UInt8]) {
        guard let decoded = Base64URL.decode(text(bytes)) else { return }
        precondition(Base64URL.decode(Base64URL.encode(decoded)) == decoded, "base64url does not round-trip")
    }

    private static let hmacKey = HMACKey(secret: "a shared secret of at least 32 bytes, for HS256")
    private static let rsaKey = try? RSAPrivateKey.generate()

    /// JWT decoding, then HS256 and RS256 verification with keys the input cannot know.
    @Sendable static func jwt(_ bytes: [UInt8]) {
        guard let token = try? JWT.decode(text(bytes)) else { return }
        _ = try? token.verifySignature(using: hmacKey, allowing: [.hs256])
        if let rsaKey { _ = try? token.verifySignature(using: RS256VerificationKey(rsaKey.publicKey), allowing: [.rs256]) }
    }

    /// Connect's canonical request and query-string hash: the method, a newline, the URL.
    @Sendable static func qsh(_ bytes: [UInt8]) {
        let parts = text(bytes).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let method = String(parts[0]), url = parts.count > 1 ? String(parts[1]) : "/"
        _ = QueryStringHash.canonicalRequest(method: method, url: url)
        _ = QueryStringHash.canonicalRequest(method: method, url: url, basePath: "/wiki")
    }

    /// A Server-Sent Events stream as `tail` reads it, cut into reads of 7 bytes: no event may be
    /// larger than the parser's bound.
    @Sendable static func sse(_ bytes: [UInt8]) {
        var parser = EventStreamParser()
        for start in stride(from: 0, to: bytes.count, by: 7) {
            for event in parser.feed(Array(bytes[start..<min(start + 7, bytes.count)])) {
                precondition(event.data.utf8.count <= EventStreamParser.maximumLineBytes, "an event beyond the bound")
            }
        }
    }

    /// A `multipart/form-data` body (the first line is the boundary): every part it yields lies
    /// within the body, and there are no more than the bound.
    @Sendable static func multipart(_ bytes: [UInt8]) {
        let newline = bytes.firstIndex(of: 10) ?? bytes.count
        let boundary = text(Array(bytes[..<newline]))
        let body = newline < bytes.count ? Array(bytes[(newline + 1)...]) : []
        guard let parts = try? MultipartForm.parse(body, contentType: "multipart/form-data; boundary=\"\(boundary)\"") else { return }
        precondition(parts.count <= MultipartForm.maximumParts, "more parts than the bound")
        precondition(parts.reduce(0) { $0 + $1.body.count } <= body.count, "parts larger than their body")
    }

    /// A route pattern (the first line), then paths (the other lines) matched against it.
    @Sendable static func route(_ bytes: [UInt8]) {
        let lines = text(bytes).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        _ = RoutePattern.problem(in: lines[0])
        let router = Router([Route("GET", lines[0], 0), Route(nil, "/fixed/{id}/*", 1)])
        for path in lines.dropFirst() where path.hasPrefix("/") {
            _ = router.match(method: "GET", path: path)
            _ = router.match(method: "POST", path: path)
        }
    }
}
