import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Reading spaces and pages through basic auth, as a client on the wire sees it.
@Suite struct ReadResourcesTests {
    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: String
        var json: JSONValue? { try? JSONValue.parse(body) }
    }

    /// GET `path` on the mock with optional basic credentials (`email:secret`) and extra headers.
    static func get(_ mock: MockConfluence, _ path: String, as credentials: String? = nil, headers: [String] = []) throws -> Answer {
        try send(mock, "GET", path, as: credentials, headers: headers)
    }

    /// Any method, with an optional JSON body; the answer with its headers.
    static func send(_ mock: MockConfluence, _ method: String, _ path: String, as credentials: String? = nil, headers: [String] = [], json: String? = nil) throws -> Answer {
        var arguments = ["-sS", "-i", "-X", method, "\(mock.baseURLString)\(path)"]
        if let json { arguments += ["-H", "Content-Type: application/json", "--data-binary", json] }
        if let credentials { arguments += ["-u", credentials] }
        for header in headers { arguments += ["-H", header] }
        let output = try runProcess("curl", arguments).stdout
        let split = output.range(of: "\r\n\r\n")!
        let headLines = output[..<split.lowerBound].components(separatedBy: "\r\n")
        var fields: [String: String] = [:]
        for line in headLines.dropFirst() {
            if let colon = line.firstIndex(of: ":") { fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        return Answer(status: Int(headLines[0].split(separator: " ")[1])!, headers: fields, body: String(output[split.upperBound...]))
    }

    static let alice = "alice@acme.test:alice-api-token", bob = "bob@acme.test:bob-api-token", carol = "carol@acme.test:carol-api-token"

    @Test func spacesFollowEachUsersPermissions() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        func keys(_ credentials: String) throws -> [String] {
            try Self.get(mock, "/wiki/rest/api/space", as: credentials).json?["results"]?.arrayValue?.compactMap { $0["key"]?.stringValue } ?? []
        }
        #expect(try keys(Self.alice) == ["ENG", "HR"])
        #expect(try keys(Self.bob) == ["ENG"])
        #expect(try keys(Self.carol) == [])
        let eng = try Self.get(mock, "/wiki/rest/api/space/ENG", as: Self.alice).json
        #expect(eng?["id"] == 98306 && eng?["name"] == "Engineering" && eng?["type"] == "global")
        #expect(eng?["_links"]?["self"]?.stringValue?.hasSuffix("/wiki/rest/api/space/ENG") == true)
        let hidden = try Self.get(mock, "/wiki/rest/api/space/HR", as: Self.bob)
        #expect(hidden.status == 404)
        #expect(hidden.body == #"{"statusCode":404,"message":"org.springframework.web.server.ResponseStatusException: 404 NOT_FOUND \"No space found with key : HR\""}"#)
        let denied = mock.requests(JournalFilter(path: "/wiki/rest/api/space/HR")).last?.auth
        #expect(denied?.decision == .denied && denied?.reason == "no view permission on space HR" && denied?.principal == "5b10a2844c20165700ede21g")
    }

    @Test func v1ContentWithBodyAndFilters() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let page = try Self.get(mock, "/wiki/rest/api/content/1001?expand=body.storage,version", as: Self.bob).json
        #expect(page?["title"] == "Runbook" && page?["type"] == "page" && page?["version"]?["number"] == 1)
        #expect(page?["body"]?["storage"]?["value"] == "<p>Restart the service, then check the dashboard.</p>")
        #expect(page?["space"]?["key"] == "ENG")
        #expect(try Self.get(mock, "/wiki/rest/api/content/1001", as: Self.bob).json?["body"] == nil, "no body unless expanded")
        let byTitle = try Self.get(mock, "/wiki/rest/api/content?spaceKey=ENG&title=Architecture", as: Self.alice).json
        #expect(byTitle?["results"]?.arrayValue?.map { $0["id"] } == ["1002"])
        #expect(byTitle?["size"] == 1 && byTitle?["start"] == 0)
        #expect(try Self.get(mock, "/wiki/rest/api/content?spaceKey=HR", as: Self.bob).json?["results"] == [], "HR is invisible to Bob")
        let missing = try Self.get(mock, "/wiki/rest/api/content/2001", as: Self.bob)
        #expect(missing.status == 404 && missing.json?["statusCode"] == 404)
        #expect(try Self.get(mock, "/wiki/rest/api/user/current", as: Self.alice).json?["accountId"] == "5b10ac8d82e05b22cc7d4ef5")
    }

    @Test func v2PagesSpacesAndCursorPagination() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let first = try Self.get(mock, "/wiki/api/v2/spaces?limit=1", as: Self.alice)
        #expect(first.json?["results"]?.arrayValue?.map { $0["key"] } == ["ENG"])
        let next = try #require(first.json?["_links"]?["next"]?.stringValue)
        #expect(first.headers["link"]?.hasPrefix("<\(next)>; rel=\"next\", <") == true)
        #expect(first.headers["link"]?.hasSuffix("/wiki>; rel=\"base\"") == true)
        let second = try Self.get(mock, next, as: Self.alice)
        #expect(second.json?["results"]?.arrayValue?.map { $0["key"] } == ["HR"])
        #expect(second.json?["_links"]?["next"] == nil)
        let page = try Self.get(mock, "/wiki/api/v2/pages/1001?body-format=storage", as: Self.alice).json
        #expect(page?["spaceId"] == "98306" && page?["body"]?["storage"]?["representation"] == "storage")
        let pages = try Self.get(mock, "/wiki/api/v2/pages?space-id=98306", as: Self.alice).json?["results"]?.arrayValue ?? []
        #expect(pages.map { $0["id"] } == ["1001", "1002"])
        let missing = try Self.get(mock, "/wiki/api/v2/pages/9999", as: Self.alice)
        #expect(missing.status == 404 && missing.body == #"{"errors":[{"status":404,"code":"NOT_FOUND","title":"Cannot find a page with id [9999]","detail":null}]}"#)
    }

    /// cloud-2026: a wrong token, an unknown email and no credentials look alike.
    @Test func badCredentialsInCloud2026() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let wrong = try Self.get(mock, "/wiki/rest/api/user/current", as: "alice@acme.test:wrong")
        let unknown = try Self.get(mock, "/wiki/rest/api/user/current", as: "nobody@acme.test:wrong")
        let none = try Self.get(mock, "/wiki/rest/api/user/current")
        #expect(wrong.status == 403 && wrong.body.contains("Request rejected because caller cannot access Confluence"))
        #expect(unknown.body == wrong.body && none.body == wrong.body)
        let v2 = try Self.get(mock, "/wiki/api/v2/pages/1001", as: "alice@acme.test:wrong")
        #expect(v2.status == 404 && v2.body == #"{"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found","detail":null}]}"#)
        let bearer = try Self.get(mock, "/wiki/rest/api/space", headers: ["Authorization: Bearer alice-api-token"])
        #expect(bearer.status == 403 && bearer.body == "Failed to parse Connect Session Auth Token")
        let entry = mock.requests(JournalFilter(path: "/wiki/rest/api/user/current")).first?.auth
        #expect(entry?.mechanism == .basic && entry?.decision == .denied && entry?.reason == "unknown email or wrong API token")
    }

    @Test func badCredentialsInCloud2021() throws {
        var scenario = Scenario.bundledDefault
        scenario.profile = .cloud2021
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let password = try Self.get(mock, "/wiki/rest/api/space", as: "alice@acme.test:alice-password")
        #expect(password.status == 401 && password.body.hasPrefix("Basic authentication with passwords is deprecated.  For more information"))
        let wrong = try Self.get(mock, "/wiki/rest/api/space", as: "alice@acme.test:wrong")
        #expect(wrong.status == 401 && wrong.headers["x-seraph-loginreason"] == "AUTHENTICATED_FAILED")
        let none = try Self.get(mock, "/wiki/rest/api/space")
        #expect(none.status == 401 && none.headers["www-authenticate"] == #"OAuth realm="https%3A%2F%2Facme.atlassian.net%2Fwiki""#)
    }

    /// Scoped tokens: refused on the site, gated by their scopes through the gateway.
    @Test func scopedAndUnscopedTokensThroughTheGateway() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let scoped = "alice@acme.test:alice-scoped-token", gateway = "/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674"
        let onSite = try Self.get(mock, "/wiki/api/v2/pages/1001", as: scoped)
        #expect(onSite.status == 401 && onSite.body.contains("HTTP Status 401 – Unauthorized"))
        #expect(try Self.get(mock, "\(gateway)/wiki/api/v2/pages/1001", as: scoped).status == 200)
        #expect(try Self.get(mock, "\(gateway)/wiki/api/v2/spaces", as: scoped).status == 200)
        let outOfScope = try Self.get(mock, "\(gateway)/wiki/rest/api/user/current", as: scoped)
        #expect(outOfScope.status == 401 && outOfScope.body == #"{"code":401,"message":"Unauthorized; scope does not match"}"#)
        let record = mock.requests(JournalFilter(path: "\(gateway)/wiki/rest/api/user/current")).first?.auth
        #expect(record?.scopesHeld == ["read:page:confluence", "read:space:confluence"])
        #expect(record?.scopesRequired == ["read:confluence-user", "read:content-details:confluence"])
        #expect(try Self.get(mock, "\(gateway)/wiki/rest/api/user/current", as: Self.alice).status == 200, "unscoped tokens work on the gateway")
        let badOnGateway = try Self.get(mock, "\(gateway)/wiki/rest/api/space", as: "alice@acme.test:wrong")
        #expect(badOnGateway.status == 401 && badOnGateway.body == #"{"code":401,"message":"Unauthorized"}"#)
    }

    @Test func captchaAfterRepeatedFailuresUntilReset() throws {
        var scenario = Scenario.bundledDefault
        scenario.basicAuth.captchaAfterFailures = 2
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        for _ in 0..<2 { #expect(try Self.get(mock, "/wiki/rest/api/space", as: "alice@acme.test:wrong").status == 403) }
        let locked = try Self.get(mock, "/wiki/rest/api/space", as: Self.alice)
        #expect(locked.status == 403 && locked.headers["x-seraph-loginreason"] == "AUTHENTICATION_DENIED")
        #expect(locked.headers["x-authentication-denied-reason"] == "CAPTCHA_CHALLENGE; login-url=https://acme.atlassian.net/login.jsp")
        #expect(try Self.get(mock, "/wiki/rest/api/space", as: Self.bob).status == 200, "other users are not locked")
        _ = try AdminAPITests.call(mock, "POST", "/__admin/reset")
        #expect(try Self.get(mock, "/wiki/rest/api/space", as: Self.alice).status == 200)
    }

    @Test func anonymousReadsWhereTheSiteAndSpaceAllow() throws {
        var scenario = Scenario.bundledDefault
        scenario.sites[0].anonymousAccess = true
        scenario.sites[0].spaces[0].anonymousAccess = true
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let spaces = try Self.get(mock, "/wiki/rest/api/space").json?["results"]?.arrayValue?.compactMap { $0["key"]?.stringValue }
        #expect(spaces == ["ENG"])
        #expect(try Self.get(mock, "/wiki/rest/api/user/current").json?["type"] == "anonymous")
        #expect(mock.requests(JournalFilter(path: "/wiki/rest/api/space")).first?.auth.mechanism == .anonymous)
    }

    @Test func aSitesOwnHostAndItsPrefixServeTheSameContent() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let byHost = try Self.get(mock, "/wiki/rest/api/content/1001", as: Self.alice, headers: ["Host: acme.atlassian.net"]).json
        let byPrefix = try Self.get(mock, "/site/acme/wiki/rest/api/content/1001", as: Self.alice).json
        #expect(byHost?["title"] == byPrefix?["title"])
        #expect(byHost?["_links"]?["self"] == "http://acme.atlassian.net/wiki/rest/api/content/1001")
        #expect(byPrefix?["_links"]?["self"]?.stringValue?.hasSuffix("/site/acme/wiki/rest/api/content/1001") == true)
    }
}
