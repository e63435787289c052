import Foundation
import Testing
@testable import AuthMockHTTP

private func parse(_ text: String, limits: HTTPLimits = HTTPLimits()) -> HTTPHeadParseResult {
    Array(text.utf8).withUnsafeBufferPointer { HTTPHeadParser.parse($0, limits: limits) }
}

private func head(_ text: String) throws -> HTTPRequestHead {
    guard case .complete(let head, _) = parse(text) else { throw HTTPParseError(.badRequest, "not complete: \(parse(text))") }
    return head
}

@Suite struct HTTPHeadParserTests {
    @Test func parsesARequestHead() throws {
        let text = "POST /wiki/rest/api/content?spaceKey=ENG HTTP/1.1\r\nHost: acme.atlassian.net\r\nContent-Type:  application/json \r\nX-Empty:\r\n\r\n{\"a\":1}"
        guard case .complete(let head, let length) = parse(text) else { Issue.record("incomplete"); return }
        #expect(head.method == "POST")
        #expect(head.target == "/wiki/rest/api/content?spaceKey=ENG")
        #expect(head.version == .http11)
        #expect(head.headers["content-type"] == "application/json")
        #expect(head.headers["X-Empty"] == "")
        #expect(length == text.utf8.count - 7)
    }

    @Test func acceptsBareLineFeedsAndLeadingEmptyLines() throws {
        #expect(try head("\r\nGET / HTTP/1.0\nHost: x\n\n").version == .http10)
    }

    @Test func theEndOfAHeadIsFoundWhereverItFalls() {
        func ends(_ text: String, from start: Int = 0) -> Bool {
            Array(text.utf8).withUnsafeBufferPointer { HTTPHeadParser.containsBlankLine($0, from: start) }
        }
        #expect(ends("GET / HTTP/1.1\r\nHost: a\r\n\r\n") && ends("GET / HTTP/1.1\nHost: a\n\n") && ends("GET / HTTP/1.1\r\n\n"))
        #expect(!ends("GET / HTTP/1.1\r\nHost: a\r\n") && !ends("GET / HTTP/1.1\r\nHost: a\r\n\r") && !ends("") && !ends("\n"))
        let long = "GET / HTTP/1.1\r\nAuthorization: Bearer " + String(repeating: "x", count: 1300) + "\r\n\r\n"
        #expect(ends(long) && ends(long, from: long.utf8.count - 4) && !ends(long, from: long.utf8.count - 2))
        #expect(!ends("a\r\n\r\nb", from: 4), "a resumed scan looks only after where it starts")
    }

    @Test func incompleteUntilTheBlankLine() {
        #expect(parse("GET / HTTP/1.1\r\nHost: x\r\n") == .incomplete)
        #expect(parse("GET / HT") == .incomplete)
    }

    @Test func limitsApplyBeforeTheHeadIsComplete() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 64
        limits.maxHeaderBytes = 128
        limits.maxHeaderCount = 3
        #expect(parse("GET /" + String(repeating: "a", count: 100), limits: limits)
                == .invalid(HTTPParseError(.uriTooLong, "request line longer than 64 bytes")))
        #expect(parse("GET / HTTP/1.1\r\nX: " + String(repeating: "b", count: 200), limits: limits)
                == .invalid(HTTPParseError(.requestHeaderFieldsTooLarge, "header block larger than 128 bytes")))
        #expect(parse("GET / HTTP/1.1\r\na: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\n\r\n", limits: limits)
                == .invalid(HTTPParseError(.requestHeaderFieldsTooLarge, "more than 3 header fields")))
    }

    /// Long values are scanned eight bytes at a time: a bad byte is found at every position of a
    /// word and of the tail, and HTAB and obs-text stay allowed.
    @Test func longValuesAreCheckedAtEveryPosition() throws {
        let token = String(repeating: "A", count: 37)
        #expect(try head("GET / HTTP/1.1\r\nAuthorization: Bearer \(token)\t\u{e9}x\r\n\r\n").headers["Authorization"] == "Bearer \(token)\t\u{e9}x")
        for position in 0..<token.utf8.count {
            for bad: UInt8 in [0x00, 0x01, 0x1F, 0x7F] {
                var bytes = Array("GET / HTTP/1.1\r\nX: \(token)\r\n\r\n".utf8)
                bytes[Array("GET / HTTP/1.1\r\nX: ".utf8).count + position] = bad
                let result = bytes.withUnsafeBufferPointer { HTTPHeadParser.parse($0, limits: HTTPLimits()) }
                #expect(result == .invalid(HTTPParseError(.badRequest, "invalid character in header value")), "byte \(bad) at \(position)")
            }
        }
    }

    /// A CR is refused unless it ends a line, wherever it falls in a long line and whether the
    /// line's LF has arrived yet; a CR last in the buffer waits for more.
    @Test func bareCarriageReturnsInLongLines() {
        let long = String(repeating: "v", count: 50)
        #expect(parse("GET / HTTP/1.1\r\nX: \(long)\r\(long)\r\n\r\n") == .invalid(HTTPParseError(.badRequest, "bare CR in a header line")))
        #expect(parse("GET / HTTP/1.1\r\nX: \(long)\rx") == .invalid(HTTPParseError(.badRequest, "bare CR in a header line")))
        #expect(parse("GET / HTTP/1.1\r\nX: \(long)\r") == .incomplete)
        #expect(parse("GET /\r HTTP/1.1\r\n\r\n") == .invalid(HTTPParseError(.badRequest, "bare CR in request line")))
    }

    @Test func headersAreCaseInsensitiveAndOrdered() throws {
        let parsed = try head("GET / HTTP/1.1\r\nHost: x\r\nAccept: a\r\naccept: b\r\nConnection: keep-alive, Upgrade\r\n\r\n")
        #expect(parsed.headers.values("ACCEPT") == ["a", "b"])
        #expect(parsed.headers.tokens("connection") == ["keep-alive", "upgrade"])
    }
}

@Suite struct RequestTargetTests {
    @Test func decodesPathAndQuery() throws {
        let request = try HTTPRequest(method: "GET", target: "/wiki/spaces/My%20Space/pages?title=a+b%21&x=1&x=2&flag")
        #expect(request.path == "/wiki/spaces/My Space/pages")
        #expect(request.rawPath == "/wiki/spaces/My%20Space/pages")
        #expect(request.rawQuery == "title=a+b%21&x=1&x=2&flag")
        #expect(request.queryValue("title") == "a b!")
        #expect(request.queryValues("x") == ["1", "2"])
        #expect(request.queryValue("flag") == "")
    }

    @Test func absoluteFormKeepsOnlyThePath() throws {
        let request = try HTTPRequest(method: "GET", target: "https://acme.atlassian.net/wiki/rest/api/space?limit=1")
        #expect(request.path == "/wiki/rest/api/space")
        #expect(request.rawQuery == "limit=1")
        #expect(try HTTPRequest(method: "GET", target: "http://h").path == "/")
    }

    @Test func refusesBadTargets() {
        #expect(throws: HTTPParseError.self) { try HTTPRequest(method: "GET", target: "/a%zzb") }
        #expect(throws: HTTPParseError.self) { try HTTPRequest(method: "GET", target: "/a%00b") }
        #expect(throws: HTTPParseError.self) { try HTTPRequest(method: "GET", target: "/a%c3%28") }
        #expect(throws: HTTPParseError.self) { try HTTPRequest(method: "GET", target: "ftp://h/x") }
    }

    @Test func formAndJSONBodies() throws {
        var request = try HTTPRequest(method: "POST", target: "/oauth/token", headers: ["Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"],
                                      body: Array("grant_type=authorization_code&code=a%2Bb&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb".utf8))
        #expect(request.mediaType == "application/x-www-form-urlencoded")
        #expect(request.formBody.map(\.value) == ["authorization_code", "a+b", "http://127.0.0.1/cb"])
        request.body = Array(#"{"grant_type":"refresh_token"}"#.utf8)
        #expect(try request.jsonBody()["grant_type"] == "refresh_token")
    }
}

@Suite struct BodyFramingTests {
    private func framing(_ headers: String, version: String = "HTTP/1.1") throws -> BodyFraming {
        try BodyFraming.of(try head("POST / \(version)\r\nHost: x\r\n\(headers)\r\n"), limits: HTTPLimits())
    }

    @Test func decidesFraming() throws {
        #expect(try framing("") == .none)
        #expect(try framing("Content-Length: 0\r\n") == .none)
        #expect(try framing("Content-Length: 12\r\n") == .contentLength(12))
        #expect(try framing("Content-Length: 12\r\nContent-Length: 12\r\n") == .contentLength(12))
        #expect(try framing("Content-Length: 12, 12\r\n") == .contentLength(12))
        #expect(try framing("Transfer-Encoding: Chunked\r\n") == .chunked)
    }

    @Test(arguments: [
        ("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", 400),
        ("Content-Length: 5\r\nContent-Length: 6\r\n", 400),
        ("Content-Length: +5\r\n", 400),
        ("Content-Length: 99999999999999999999999\r\n", 413),
        ("Content-Length: 20000000\r\n", 413),
        ("Transfer-Encoding: gzip\r\n", 400),
        ("Transfer-Encoding: gzip, chunked\r\n", 501),
        ("Transfer-Encoding: chunked, chunked\r\n", 400),
    ])
    func refusesAmbiguousFraming(headers: String, status: Int) {
        #expect(throws: HTTPParseError.self) { try framing(headers) }
        #expect((try? framing(headers)) == nil)
        do { _ = try framing(headers) } catch { #expect((error as? HTTPParseError)?.status.code == status) }
    }

    @Test func chunkedDecoderAcceptsOneByteAtATime() throws {
        let wire = Array("4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: t\r\n\r\nNEXT".utf8)
        var decoder = ChunkedDecoder(limits: HTTPLimits())
        var position = 0
        for end in 1...wire.count where !decoder.isComplete {
            position = try Array(wire[0..<end]).withUnsafeBufferPointer { try decoder.consume($0, from: position) }
        }
        #expect(decoder.isComplete)
        #expect(String(decoding: decoder.body, as: UTF8.self) == "Wikipedia in\r\n\r\nchunks.")
        #expect(Array(wire[position...]) == Array("NEXT".utf8))
    }

    @Test(arguments: ["zz\r\n", "0x5\r\nhello\r\n0\r\n\r\n", "-1\r\n", "5\r\nhelloXX\r\n", "1234567890ABCDEF0\r\n", "3 x\r\nabc\r\n"])
    func chunkedDecoderRefusesBadChunks(_ wire: String) {
        var decoder = ChunkedDecoder(limits: HTTPLimits())
        #expect(throws: HTTPParseError.self) {
            _ = try Array(wire.utf8).withUnsafeBufferPointer { try decoder.consume($0, from: 0) }
        }
    }
}

@Suite struct RouterTests {
    let router = Router<String>([
        Route("GET", "/wiki/rest/api/space", "list"),
        Route("GET", "/wiki/rest/api/space/{key}", "get"),
        Route("PUT", "/wiki/rest/api/space/{key}", "update"),
        Route(nil, "/ex/confluence/{cloudId}/*", "gateway"),
    ])

    @Test func matchesLiteralsParametersAndRest() {
        guard case .found("get", let parameters) = router.match(method: "GET", path: "/wiki/rest/api/space/ENG") else { Issue.record("no match"); return }
        #expect(parameters["key"] == "ENG")
        guard case .found("gateway", let rest) = router.match(method: "DELETE", path: "/ex/confluence/abc/wiki/api/v2/pages/1") else { Issue.record("no match"); return }
        #expect(rest["cloudId"] == "abc")
        #expect(rest["*"] == "wiki/api/v2/pages/1")
        guard case .found("gateway", let empty) = router.match(method: "GET", path: "/ex/confluence/abc") else { Issue.record("no match"); return }
        #expect(empty["*"] == "")
    }

    /// Matching works on the path's bytes: segment by segment, exact lengths, no empty parameter,
    /// trailing slashes counted, non-ASCII literals and values kept whole.
    @Test func matchesSegmentsByteForByte() {
        let table = Router<String>([Route("GET", "/wiki/rest/api/space/{key}", "space"), Route("GET", "/wiki/é/{name}", "accent"),
                                    Route("GET", "/", "root")])
        guard case .found("accent", let accent) = table.match(method: "GET", path: "/wiki/é/Zoë") else { Issue.record("no match"); return }
        #expect(accent["name"] == "Zoë" && accent["other"] == nil)
        guard case .found("root", _) = table.match(method: "GET", path: "/") else { Issue.record("no match for /"); return }
        for path in ["/wiki/rest/api/space/", "/wiki/rest/api/space/ENG/", "/wiki/rest/api/spac/ENG", "/wiki/rest/api/spaces/ENG",
                     "/wiki/rest/api/space", "/wiki//api/space/ENG", "/wiki/e/x"] {
            guard case .notFound = table.match(method: "GET", path: path) else { Issue.record("\(path) should not match"); continue }
        }
        #expect(RouteParameters(values: ["a": "1", "b": "2"])["b"] == "2")
    }

    @Test func headFallsBackToGetAndWrongMethodsAreListed() {
        guard case .found("list", _) = router.match(method: "HEAD", path: "/wiki/rest/api/space") else { Issue.record("no HEAD"); return }
        guard case .methodNotAllowed(let allowed) = router.match(method: "DELETE", path: "/wiki/rest/api/space/ENG") else { Issue.record("no 405"); return }
        #expect(allowed == ["GET", "PUT"])
        guard case .notFound = router.match(method: "GET", path: "/wiki/rest/api/space/ENG/extra") else { Issue.record("matched"); return }
        guard case .notFound = router.match(method: "GET", path: "/wiki/rest/api/space/") else { Issue.record("empty param matched"); return }
    }

    /// A literal segment wins over a `{name}` that would also match, whatever the table order, and
    /// the walk backs out of a literal branch that leads nowhere.
    @Test func literalSegmentsWinOverParametersAndBranchesBackOut() {
        let table = Router<String>([Route("GET", "/content/{id}", "byId"), Route("GET", "/content/search", "search"),
                                    Route("GET", "/content/search/{x}/deep", "deep"), Route("GET", "/content/{id}/child/{type}", "child"),
                                    Route("GET", "/content/*", "rest")])
        guard case .found("search", _) = table.match(method: "GET", path: "/content/search") else { Issue.record("literal lost"); return }
        guard case .found("byId", let id) = table.match(method: "GET", path: "/content/42") else { Issue.record("parameter lost"); return }
        #expect(id["id"] == "42")
        guard case .found("child", let child) = table.match(method: "GET", path: "/content/search/child/page") else { Issue.record("no backtrack"); return }
        #expect(child["id"] == "search" && child["type"] == "page")
        guard case .found("rest", let rest) = table.match(method: "GET", path: "/content/a/b/c/d") else { Issue.record("no rest"); return }
        #expect(rest["*"] == "a/b/c/d" && rest["id"] == nil)
        guard case .methodNotAllowed(let allowed) = table.match(method: "POST", path: "/content/search") else { Issue.record("no 405"); return }
        #expect(allowed == ["GET"])
    }

    /// Children are told apart by length and first eight bytes before their bytes are compared:
    /// names that share both, or differ only past them, still match only themselves.
    @Test func literalsSharingTheirFirstBytesAreToldApart() {
        let table = Router<String>([Route("GET", "/attachments/x", "attachments"), Route("GET", "/attachmentz/x", "attachmentz"),
                                    Route("GET", "/page/x", "page"), Route("GET", "/pagf/x", "pagf"), Route("GET", "/pa/x", "pa")])
        for name in ["attachments", "attachmentz", "page", "pagf", "pa"] {
            guard case .found(let found, _) = table.match(method: "GET", path: "/\(name)/x") else { Issue.record("\(name) not found"); continue }
            #expect(found == name)
        }
        for path in ["/attachment/x", "/attachmentss/x", "/pag/x", "/pagee/x", "/p/x", "/attachmentsattachments/x"] {
            guard case .notFound = table.match(method: "GET", path: path) else { Issue.record("\(path) should not match"); continue }
        }
    }

    /// Patterns can come from a scenario: a bad one is described, and building it never traps.
    @Test func badPatternsAreDescribedAndReadLiterally() {
        #expect(RoutePattern.problem(in: "/wiki/{id}/*") == nil)
        #expect(RoutePattern.problem(in: "/wiki/a*b/c") == nil, "a * inside a segment is a literal")
        #expect(RoutePattern.problem(in: "/wiki/*/y") == "* may only be the last segment (it matches the rest of the path)")
        #expect(RoutePattern.problem(in: "/*/") != nil)
        #expect(RoutePattern.problem(in: "wiki/x") == "a route pattern starts with /")
        let table = Router<String>([Route("GET", "/x/*/y", "star"), Route("GET", "relative/{id}", "relative")])
        guard case .found("star", _) = table.match(method: "GET", path: "/x/*/y") else { Issue.record("a middle * should match itself"); return }
        guard case .notFound = table.match(method: "GET", path: "/x/a/y") else { Issue.record("a middle * matched another segment"); return }
        guard case .found("relative", let parameters) = table.match(method: "GET", path: "/relative/7") else { Issue.record("no leading / assumed"); return }
        #expect(parameters["id"] == "7")
    }
}

@Suite struct ResponseEncoderTests {
    @Test func writesDateLengthTypeAndConnection() {
        var encoder = HTTPResponseEncoder()
        let (bytes, headLength) = encoder.encode(.json(["ok": true]), keepAlive: false, version: .http11, includeBody: true)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\nDate: "))
        #expect(text.contains(" GMT\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}"))
        #expect(bytes.count - headLength == 11)
    }

    @Test func headKeepsTheLengthButNotTheBody() {
        var encoder = HTTPResponseEncoder()
        let (bytes, headLength) = encoder.encode(.text("hello"), keepAlive: true, version: .http10, includeBody: false)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(bytes.count == headLength)
        #expect(text.contains("Content-Length: 5\r\n"))
        #expect(text.contains("Connection: keep-alive\r\n"))
    }

    @Test func noContentHasNoLengthAndHeaderInjectionIsDefused() {
        var encoder = HTTPResponseEncoder()
        let text = String(decoding: encoder.encode(HTTPResponse(status: .noContent, headers: ["X-A": "1\r\nSet-Cookie: x=1"]),
                                                   keepAlive: true, version: .http11, includeBody: true).bytes, as: UTF8.self)
        #expect(!text.contains("Content-Length"))
        #expect(text.contains("X-A: 1Set-Cookie: x=1\r\n"))
        #expect(!text.contains("\r\nSet-Cookie"))
    }

    /// Values are checked eight bytes at a time: CR, LF and NUL are dropped wherever they fall in a
    /// word or in a tail shorter than one, and a tab (also below 0x0E) is kept.
    @Test func unsafeBytesAreDroppedAtEveryPosition() {
        var encoder = HTTPResponseEncoder()
        for length in 1..<20 {
            for position in 0..<length {
                for unsafe in ["\r", "\n", "\u{00}"] {
                    var characters = Array(repeating: "v", count: length)
                    characters[position] = unsafe
                    let head = encoder.encode(HTTPResponse(status: .noContent, headers: ["X-A": characters.joined()]),
                                              keepAlive: true, version: .http11, includeBody: true).bytes
                    #expect(String(decoding: head, as: UTF8.self).contains("X-A: \(String(repeating: "v", count: length - 1))\r\n"), "\(length), \(position)")
                }
            }
        }
        let tabbed = encoder.encode(HTTPResponse(status: .noContent, headers: ["X-A": "a\tbcdefghij\tk"]), keepAlive: true, version: .http11, includeBody: true)
        #expect(String(decoding: tabbed.bytes, as: UTF8.self).contains("X-A: a\tbcdefghij\tk\r\n"))
    }

    @Test func dateIsAnIMFFixdate() {
        var clock = time_t(784_111_777)
        #expect(HTTPDate.format(&clock) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}
