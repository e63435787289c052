import ConfluenceAuthMock
import ConfluenceAuthMockTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `urlSessionConfiguration()`: a URLSession client with Atlassian's production URLs, answered by
/// the mock in process: each host its own paths, redirects, wire faults, other hosts refused, and
/// two mocks side by side.
@Suite struct InProcessTransportTests {
    static let cloudID = "a436116f-02ce-4520-8fbb-7301462a1674"

    static func send(_ session: URLSession, _ method: String, _ url: String, headers: [String: String] = [:], form: String? = nil) async throws -> (Int, [String: String], Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let form {
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(form.utf8)
        }
        let (body, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields[String(describing: name).lowercased()] = String(describing: value) }
        return (http.statusCode, fields, body)
    }

    static func json(_ data: Data) throws -> [String: Any] { try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]) }

    @Test func aClientOnProductionURLsRunsTheWholeOAuthFlow() async throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let session = mock.urlSession()
        let authorize = "https://auth.atlassian.com/authorize?audience=api.atlassian.com&client_id=acme-sync-client"
            + "&scope=read%3Apage%3Aconfluence%20read%3Ame%20offline_access&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback&state=s1&response_type=code&prompt=consent"
        let (status, headers, _) = try await Self.send(session, "GET", authorize)
        #expect(status == 302, "a redirect to a host the mock does not answer for (the client's callback) is the answer")
        let location = try #require(headers["location"].flatMap(URLComponents.init(string:)))
        let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)
        let (tokenStatus, _, tokenBody) = try await Self.send(session, "POST", "https://auth.atlassian.com/oauth/token",
            form: "grant_type=authorization_code&client_id=acme-sync-client&client_secret=acme-sync-secret&code=\(code)&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback")
        #expect(tokenStatus == 200)
        let token = try #require(try Self.json(tokenBody)["access_token"] as? String)
        let bearer = ["Authorization": "Bearer \(token)"]
        let (pageStatus, pageHeaders, pageBody) = try await Self.send(session, "GET", "https://api.atlassian.com/ex/confluence/\(Self.cloudID)/wiki/api/v2/pages/1001", headers: bearer)
        let title = try Self.json(pageBody)["title"] as? String
        #expect(pageStatus == 200 && title == "Runbook" && pageHeaders["server"] == "AtlassianEdge")
        #expect(try await Self.send(session, "GET", "https://api.atlassian.com/me", headers: bearer).0 == 200)
        #expect(try await Self.send(session, "GET", "https://api.atlassian.com/oauth/token", headers: bearer).0 == 404, "the token endpoint is auth.atlassian.com's")
        #expect(try await Self.send(session, "GET", "https://auth.atlassian.com/ex/confluence/\(Self.cloudID)/wiki/api/v2/pages/1001", headers: bearer).0 == 404)

        let journal = mock.requests()
        #expect(journal.count == 6 && journal.allSatisfy { $0.transport == .inProcess })
        #expect(journal.map(\.path) == ["/authorize", "/oauth/token", "/ex/confluence/\(Self.cloudID)/wiki/api/v2/pages/1001", "/me", "/oauth/token",
                                        "/ex/confluence/\(Self.cloudID)/wiki/api/v2/pages/1001"])
        #expect(journal[2].auth.decision == .allowed && journal[2].pathWithinSite == "/wiki/api/v2/pages/1001")
    }

    @Test func aSiteHostServesItsSiteAndKeyHostsTheirKeys() async throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let session = mock.urlSession()
        let basic = "Basic " + Data("alice@acme.test:alice-api-token".utf8).base64EncodedString()
        let (status, _, body) = try await Self.send(session, "GET", "https://acme.atlassian.net/wiki/rest/api/space/ENG", headers: ["Authorization": basic])
        let key = try Self.json(body)["key"] as? String
        #expect(status == 200 && key == "ENG")
        #expect(try await Self.send(session, "GET", "https://acme.atlassian.net/_edge/tenant_info").0 == 200)
        #expect(try await Self.send(session, "GET", "https://acme.atlassian.net/oauth/token").0 == 404, "a site has no token endpoint")
        let entry = try #require(mock.requests().first)
        #expect(entry.path == "/wiki/rest/api/space/ENG" && entry.pathWithinSite == "/wiki/rest/api/space/ENG" && entry.transport == .inProcess)

        let (jwksStatus, _, jwks) = try await Self.send(session, "GET", "https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json")
        let keys = try Self.json(jwks)["keys"] as? [Any]
        #expect(jwksStatus == 200 && keys?.isEmpty == false)
        let (metadataStatus, _, metadata) = try await Self.send(session, "GET", "https://auth.atlassian.com/.well-known/oauth-authorization-server")
        let tokenEndpoint = try Self.json(metadata)["token_endpoint"] as? String
        #expect(metadataStatus == 200 && tokenEndpoint == "https://auth.atlassian.com/oauth/token")
        #expect(try await Self.send(session, "GET", "https://connect-install-keys.atlassian.com/no-such-kid").0 == 404)
    }

    @Test func anyOtherHostFailsNamingIt() async throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let session = mock.urlSession()
        do {
            _ = try await Self.send(session, "GET", "https://example.com/wiki/rest/api/space")
            Issue.record("example.com was answered")
        } catch let error as URLError {
            #expect(error.code == .cannotConnectToHost)
            #expect(error.localizedDescription.contains("does not answer for example.com"))
        }
        #expect(mock.requests().isEmpty, "nothing reached the mock")
        #expect(mock.servedHosts.contains("auth.atlassian.com") && mock.servedHosts.contains("acme.atlassian.net"))
        let own = URLSessionConfiguration.ephemeral
        own.timeoutIntervalForRequest = 7
        let derived = mock.urlSessionConfiguration(own)
        #expect(derived.timeoutIntervalForRequest == 7 && (own.protocolClasses ?? []).count < (derived.protocolClasses ?? []).count, "a copy of the caller's configuration")
    }

    @Test func twoMocksEachAnswerTheirOwnSessions() async throws {
        var other = Scenario.bundledDefault
        other.sites[0].spaces[0].pages[0].title = "Other runbook"
        let first = try MockConfluence.start(), second = try MockConfluence.start(scenario: other)
        defer { first.stop(); second.stop() }
        let basic = ["Authorization": "Basic " + Data("alice@acme.test:alice-api-token".utf8).base64EncodedString()]
        let page = "https://acme.atlassian.net/wiki/api/v2/pages/1001"
        let (_, _, firstBody) = try await Self.send(first.urlSession(), "GET", page, headers: basic)
        let (_, _, secondBody) = try await Self.send(second.urlSession(), "GET", page, headers: basic)
        let titles = [try Self.json(firstBody)["title"] as? String, try Self.json(secondBody)["title"] as? String]
        #expect(titles == ["Runbook", "Other runbook"])
        #expect(first.requests().count == 1 && second.requests().count == 1)
    }

    @Test func wireFaultsBreakTheExchangeAsOnASocket() async throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        _ = try mock.addFault(Scenario.Fault(match: Scenario.FaultMatch(path: "/wiki/*"), outcome: Scenario.FaultOutcome(wire: .reset)))
        do {
            _ = try await Self.send(mock.urlSession(), "GET", "https://acme.atlassian.net/wiki/rest/api/space")
            Issue.record("a reset was answered")
        } catch let error as URLError {
            #expect(error.code == .networkConnectionLost)
        }
        #expect(mock.requests().first?.status == 0)
    }
}
