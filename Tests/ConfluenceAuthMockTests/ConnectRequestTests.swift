import AuthMockCrypto
import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Requests signed by a Connect app (docs/reference.md §4.2–§4.6): each check, and what fails it.
@Suite struct ConnectRequestTests {
    static let secret = "a-shared-secret-of-32-bytes-min!"
    static let alice = "5b10ac8d82e05b22cc7d4ef5", bob = "5b10a2844c20165700ede21g"

    /// A Connect JWT for `method` + `url` (path and query as sent), `qsh` relative to `/wiki`
    /// unless `qsh` is given; `change` edits the claims before signing.
    static func token(_ mock: MockConfluence, _ method: String, _ url: String, issuer: String = "com.example.addon", secret: String = secret,
                      qsh: String? = nil, ttl: Double = 180, _ change: (inout JSONObject) -> Void = { _ in }) throws -> String {
        let now = mock.nowSecondsSince1970
        var claims = JSONObject([("iss", .string(issuer)), ("iat", .int(Int(now))), ("exp", .int(Int(now + ttl))),
                                 ("qsh", .string(qsh ?? QueryStringHash.hash(method: method, url: url, basePath: "/wiki")))])
        change(&claims)
        return try JWT.encode(claims: claims, key: HMACKey(secret: secret))
    }

    static func call(_ mock: MockConfluence, _ method: String, _ url: String, token: String?, inQuery: Bool = false) throws -> ReadResourcesTests.Answer {
        guard let token else { return try ReadResourcesTests.get(mock, url) }
        let target = inQuery ? url + (url.contains("?") ? "&" : "?") + "jwt=\(token)" : url
        let headers = inQuery ? [] : ["Authorization: JWT \(token)"]
        guard method != "GET" else { return try ReadResourcesTests.get(mock, target, headers: headers) }
        return try ReadResourcesTests.send(mock, method, target, headers: headers)
    }

    /// The failure a refused request names, and the journal's reason.
    static func failure(_ answer: ReadResourcesTests.Answer) -> String? { answer.headers["x-mock-auth-failure"] }

    static func connectScenario() throws -> Scenario {
        try Scenario.load(contentsOfFile: repositoryRoot.appendingPathComponent("scenarios/connect-app.json").path)
    }

    @Test func aSignedRequestActsAsTheAppUser() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let url = "/wiki/rest/api/content?spaceKey=ENG&limit=5&expand=body.storage,version"
        let answer = try Self.call(mock, "GET", url, token: try Self.token(mock, "GET", url))
        #expect(answer.status == 200 && answer.json?["size"]?.intValue == 2)
        let viaQuery = try Self.call(mock, "GET", url, token: try Self.token(mock, "GET", url), inQuery: true)
        #expect(viaQuery.status == 200, "?jwt= is left out of the qsh")
        let site = "/site/acme/wiki/api/v2/pages/1001"
        #expect(try Self.call(mock, "GET", site, token: try Self.token(mock, "GET", "/wiki/api/v2/pages/1001")).status == 200,
                "the qsh is relative to the site's base URL, /site/acme/wiki on the mock")
        let record = try #require(mock.requests(JournalFilter(path: "/wiki/rest/api/content")).first?.auth)
        #expect(record.mechanism == .connect && record.principal == "com.example.addon" && record.client == "com.example.addon" && record.decision == .allowed)
        #expect(record.scopesHeld == ["READ", "WRITE", "ACT_AS_USER"] && record.scopesRequired == ["READ"])
        let byClientKey = try Self.token(mock, "GET", "/wiki/rest/api/space", issuer: "ck-acme")
        #expect(try Self.call(mock, "GET", "/wiki/rest/api/space", token: byClientKey).status == 200, "iss may be the client key")
    }

    @Test(arguments: [
        ("wrong secret", "bad-signature"), ("unknown issuer", "unknown-issuer"), ("no qsh", "missing-claim"), ("no iat", "missing-claim"),
        ("context-qsh", "context-qsh"), ("qsh without /wiki", "qsh-mismatch"), ("query order", "qsh-mismatch"), ("method", "qsh-mismatch"),
        ("alg none", "algorithm"), ("not a jwt", "malformed-token"), ("exp as text", "invalid-claim"),
    ])
    func eachTamperingNamesItsCheck(tampering: String, expected: String) throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let url = "/wiki/rest/api/content/1001?expand=body.storage&status=current"
        var token: String
        switch tampering {
        case "wrong secret": token = try Self.token(mock, "GET", url, secret: "another-secret-that-is-32-bytes!!")
        case "unknown issuer": token = try Self.token(mock, "GET", url, issuer: "com.example.other")
        case "no qsh": token = try Self.token(mock, "GET", url) { $0["qsh"] = nil }
        case "no iat": token = try Self.token(mock, "GET", url) { $0["iat"] = nil }
        case "context-qsh": token = try Self.token(mock, "GET", url, qsh: "context-qsh")
        case "qsh without /wiki": token = try Self.token(mock, "GET", url, qsh: QueryStringHash.hash(method: "GET", url: url))
        case "query order": token = try Self.token(mock, "GET", url, qsh: SHA256.hexHash(Array("GET&/rest/api/content/1001&status=current&expand=body.storage".utf8)))
        case "method": token = try Self.token(mock, "POST", url)
        case "alg none":
            let claims = JSONObject([("iss", "com.example.addon"), ("exp", .int(Int(mock.nowSecondsSince1970) + 60))])
            token = Base64URL.encode(Array(#"{"alg":"none"}"#.utf8)) + "." + Base64URL.encode(JSONValue.object(claims).serializedBytes) + "."
        case "exp as text": token = try Self.token(mock, "GET", url) { $0["exp"] = "tomorrow" }
        default: token = "not-a-jwt"
        }
        let answer = try Self.call(mock, "GET", url, token: token)
        #expect(answer.status == 401, "\(tampering)")
        #expect(Self.failure(answer)?.hasPrefix(expected) == true, "\(tampering): \(Self.failure(answer) ?? "no header")")
        #expect(answer.headers["www-authenticate"]?.hasPrefix("JWT realm=") == true)
        #expect(answer.json?["statusCode"]?.intValue == 401, "v1 routes answer v1's error shape")
        let record = try #require(mock.requests().last?.auth)
        #expect(record.mechanism == .connect && record.decision == .denied && record.reason?.hasPrefix(expected) == true)
    }

    @Test func aQshMismatchShowsTheCanonicalRequestTheMockHashed() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let token = try Self.token(mock, "GET", "/wiki/rest/api/space?a=1")
        let answer = try Self.call(mock, "GET", "/wiki/rest/api/space?b=x%20y&a=1", token: token)
        #expect(Self.failure(answer) == #"qsh-mismatch; canonical-request="GET&/rest/api/space&a=1&b=x%20y""#)
        #expect(answer.json?["message"]?.stringValue?.contains("Expecting claim 'qsh' to have value") == true)
        let v2 = try Self.call(mock, "GET", "/wiki/api/v2/spaces?x=1", token: token)
        #expect(v2.status == 401 && v2.json?["errors"]?.arrayValue?.first?["code"] == "UNAUTHORIZED", "v2 routes answer v2's error shape")
    }

    @Test func expiryAndIssueTimeUseTheScenarioClockWithLeeway() throws {
        var scenario = Scenario.bundledDefault
        scenario.clock = ClockSettings(start: 1_767_225_600, frozen: true)
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let url = "/wiki/rest/api/space"
        let token = try Self.token(mock, "GET", url, ttl: 60)
        mock.advanceClock(by: .seconds(60 + 29))
        #expect(try Self.call(mock, "GET", url, token: token).status == 200, "within the 30 s leeway")
        mock.advanceClock(by: .seconds(1))
        #expect(Self.failure(try Self.call(mock, "GET", url, token: token)) == "expired")
        let future = try Self.token(mock, "GET", url) { $0["iat"] = .int(Int(mock.nowSecondsSince1970) + 120) }
        #expect(Self.failure(try Self.call(mock, "GET", url, token: future)) == "issued-in-future")
    }

    /// Connect scopes gate routes (403 in the route's shape), then the app user's permissions apply.
    @Test func scopesThenAppUserPermissions() throws {
        let mock = try MockConfluence.start(scenario: try Self.connectScenario())
        defer { mock.stop() }
        let delete = "/wiki/rest/api/content/1001"
        let refused = try Self.call(mock, "DELETE", delete, token: try Self.token(mock, "DELETE", delete))
        #expect(refused.status == 403 && Self.failure(refused) == "scope" && refused.json?["statusCode"]?.intValue == 403)
        let v2 = try Self.call(mock, "DELETE", "/wiki/api/v2/pages/1001", token: try Self.token(mock, "DELETE", "/wiki/api/v2/pages/1001"))
        #expect(v2.status == 403 && v2.json?["errors"]?.arrayValue?.first?["code"] == "FORBIDDEN")
        #expect(mock.requests().last?.auth.scopesRequired == ["DELETE"])
        // The app user may only view ENG: WRITE passes the gate, the permission check refuses the edit.
        let body = #"{"version":{"number":2},"title":"Runbook","type":"page","body":{"storage":{"value":"<p>x</p>","representation":"storage"}}}"#
        let edit = try ReadResourcesTests.send(mock, "PUT", delete, headers: ["Authorization: JWT \(try Self.token(mock, "PUT", delete))"], json: body)
        #expect(edit.status == 403 && Self.failure(edit) == nil, "a permission denial, not an authentication failure")
        let hidden = try Self.call(mock, "GET", "/wiki/api/v2/pages/2001", token: try Self.token(mock, "GET", "/wiki/api/v2/pages/2001"))
        #expect(hidden.status == 404, "the app user cannot view HR")
    }

    @Test func subjectActsAsTheUserOnlyWithActAsUser() throws {
        let mock = try MockConfluence.start(scenario: try Self.connectScenario())
        defer { mock.stop() }
        let url = "/wiki/api/v2/pages/2001"
        let asAlice = try Self.token(mock, "GET", url) { $0["sub"] = .string(Self.alice) }
        #expect(try Self.call(mock, "GET", url, token: asAlice).status == 200, "alice may view HR, the app user may not")
        #expect(mock.requests().last?.auth.reason == "acting as user \(Self.alice) (ACT_AS_USER)")
        let asBob = try Self.token(mock, "GET", url) { $0["sub"] = .string(Self.bob) }
        #expect(try Self.call(mock, "GET", url, token: asBob).status == 404)
        let nobody = try Self.token(mock, "GET", url) { $0["sub"] = "557058:no-such-user" }
        #expect(Self.failure(try Self.call(mock, "GET", url, token: nobody)) == "unknown-user")

        var withoutImpersonation = try Self.connectScenario()
        withoutImpersonation.connectApps[0].scopes = [.read, .write]
        try mock.replaceScenario(withoutImpersonation)
        #expect(try Self.call(mock, "GET", url, token: try Self.token(mock, "GET", url) { $0["sub"] = .string(Self.alice) }).status == 404,
                "without ACT_AS_USER the sub is ignored: the app user still cannot view HR")
    }

    @Test func theGatewayDoesNotTakeConnectJWTs() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let path = "\(OAuthGatewayTests.gateway)/wiki/rest/api/space"
        let answer = try Self.call(mock, "GET", path, token: try Self.token(mock, "GET", "/wiki/rest/api/space"))
        #expect(answer.status == 401 && answer.body == #"{"code":401,"message":"Unauthorized"}"# && Self.failure(answer) == "gateway")
    }
}
