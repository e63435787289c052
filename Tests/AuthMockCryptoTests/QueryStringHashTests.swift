import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import AuthMockCrypto

@Suite struct QueryStringHashTests {
    /// The vectors of docs/reference.md §4.3.
    @Test(arguments: [
        ("GET&/path/to/service&first=param&repeated=parameter%201,parameter%202&zee_last=param",
         "e52bb281606c3bd9ca16cfe96fe2df78f5d9ffa126f06befd750dfa10fa1a897"),
        ("GET&/rest/api/3/project/recent&", "4953376a4a620a337fab595409def4f695270777a9536fded98a4790b1ad3832"),
        ("GET&/&", "c88caad15a1c1a900b8ac08aa9686f4e8184539bea1deda36e2f649430df3239"),
    ])
    func referenceVectors(canonical: String, qsh: String) {
        #expect(SHA256.hexHash(Array(canonical.utf8)) == qsh)
    }

    @Test func documentationExampleCanonicalises() {
        let url = "/path/to/service?zee_last=param&repeated=parameter 1&first=param&repeated=parameter 2"
        #expect(QueryStringHash.canonicalRequest(method: "get", url: url)
                == "GET&/path/to/service&first=param&repeated=parameter%201,parameter%202&zee_last=param")
        #expect(QueryStringHash.hash(method: "GET", url: "https://acme.atlassian.net/rest/api/3/project/recent")
                == "4953376a4a620a337fab595409def4f695270777a9536fded98a4790b1ad3832")
    }

    @Test func confluenceBasePathIsRemoved() {
        #expect(QueryStringHash.canonicalRequest(method: "GET", url: "https://acme.atlassian.net/wiki/rest/api/space", basePath: "/wiki")
                == "GET&/rest/api/space&")
        // Only a whole leading segment is a base path: /wikipedia is not under /wiki.
        #expect(QueryStringHash.canonicalPath("/wikipedia/x", basePath: "/wiki") == "/wikipedia/x")
        #expect(QueryStringHash.canonicalPath("/wiki", basePath: "/wiki/") == "/")
        #expect(QueryStringHash.canonicalPath("/wiki/rest/api/space", basePath: "") == "/wiki/rest/api/space")
    }

    /// A delimiter followed by a combining mark is one Character in Swift but still a delimiter on
    /// the wire, as in atlassian-jwt (JavaScript splits UTF-16 code units).
    @Test func delimiterBeforeACombiningMarkStillSplits() {
        let split = QueryStringHash.splitURL("https://h.example/a\u{301}/b?\u{301}x=1#\u{301}frag")
        #expect(split.path == "/a\u{301}/b")
        #expect(split.query == "\u{301}x=1")
        #expect(QueryStringHash.splitURL("/p?q=1").path == "/p")
        #expect(QueryStringHash.splitURL("https://h.example").path == "")
        #expect(QueryStringHash.splitURL("a/b://c?d").path == "a/b://c")
    }

    struct FixtureCase: Decodable, Sendable, CustomTestStringConvertible {
        let method, relative, basePath, path, canonical, qsh: String
        var testDescription: String { "\(method) \(path)" }
    }

    static let fixture: [FixtureCase] = {
        struct File: Decodable { let cases: [FixtureCase] }
        let url = repositoryRoot.appendingPathComponent("Tests/AuthMockCryptoTests/Fixtures/qsh-atlassian-jwt.json")
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }()

    @Test func fixtureIsLargeEnough() { #expect(Self.fixture.count >= 20) }

    /// Each URL as atlassian-jwt canonicalised and hashed it (make_qsh_fixture.py), given to us as
    /// the full path on the site with the `/wiki` base path where the product has one.
    @Test(arguments: fixture)
    func matchesAtlassianJWT(_ entry: FixtureCase) {
        let (path, query) = QueryStringHash.splitURL(entry.path)
        #expect(QueryStringHash.canonicalRequest(method: entry.method, path: path, query: query, basePath: entry.basePath) == entry.canonical)
        #expect(QueryStringHash.hash(method: entry.method, url: entry.path, basePath: entry.basePath) == entry.qsh)
    }

    @Test func formDecodingKeepsOrderAndBlanks() {
        let pairs = FormDecoding.pairs("a=1&&b&c=x+y%21&a=2&bad=%zz")
        #expect(pairs.map(\.0) == ["a", "b", "c", "a", "bad"])
        #expect(pairs.map(\.1) == ["1", "", "x y!", "2", "%zz"])
    }
}
