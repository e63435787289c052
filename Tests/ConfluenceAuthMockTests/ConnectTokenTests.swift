import AuthMockCrypto
import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Tokens around Connect: the JWTs Confluence sends apps, and user impersonation (docs/reference.md §4.2, §4.7).
@Suite struct ConnectTokenTests {
    static let secret = ConnectRequestTests.secret

    @Test func productJWTsCarryTheRequestHashOrContextQsh() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let token = try mock.connectJWT(ProductJWTRequest(app: "com.example.addon", site: "acme", user: "alice@acme.test", method: "GET",
                                                          url: "http://127.0.0.1:3000/macro?pageId=1001&spaceKey=ENG"))
        let jwt = try JWT.decode(token)
        try jwt.verifySignature(using: HMACKey(secret: Self.secret), allowing: [.hs256])
        try jwt.validateClaims(JWTClaimChecks(now: mock.nowSecondsSince1970, requiredClaims: ["iat", "exp"]))
        #expect(jwt.claims["iss"] == "ck-acme" && jwt.claims["sub"] == "5b10ac8d82e05b22cc7d4ef5")
        #expect(jwt.claims["context"]?["user"]?["accountId"] == "5b10ac8d82e05b22cc7d4ef5")
        #expect(jwt.claims["qsh"]?.stringValue == SHA256.hexHash(Array("GET&/macro&pageId=1001&spaceKey=ENG".utf8)))
        #expect((jwt.claims["exp"]?.intValue ?? 0) - (jwt.claims["iat"]?.intValue ?? 0) == 180)

        let admin = try AdminAPITests.call(mock, "POST", "/__admin/connect/jwt", body: #"{"app":"com.example.addon","site":"acme","context":true,"ttl":60}"#)
        let context = try JWT.decode(try #require(admin.json?["token"]?.stringValue))
        #expect(admin.status == 200 && context.claims["qsh"] == "context-qsh" && context.claims["sub"] == nil)
    }

    @Test func productJWTsUnderABaseUrlWithAPath() throws {
        var scenario = Scenario.bundledDefault
        scenario.connectApps[0].baseUrl = "https://app.example.com/connect/"
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let token = try mock.connectJWT(ProductJWTRequest(app: "com.example.addon", site: "acme", method: "POST", url: "https://app.example.com/connect/hook"))
        #expect(try JWT.decode(token).claims["qsh"]?.stringValue == SHA256.hexHash(Array("POST&/hook&".utf8)), "the baseUrl's path is not hashed")
        let outside = #expect(throws: TokenRequestError.self) {
            try mock.connectJWT(ProductJWTRequest(app: "com.example.addon", site: "acme", url: "https://evil.example.com/connect/hook"))
        }
        #expect(outside?.issues.first?.path == "url")
        let bad = try AdminAPITests.call(mock, "POST", "/__admin/connect/jwt", body: #"{"app":"com.example.addon","site":"nowhere","user":"mallory","url":"/x"}"#)
        #expect(bad.status == 400 && bad.json?["details"]?.arrayValue?.compactMap { $0["path"]?.stringValue } == ["app", "user"])
        #expect(try AdminAPITests.call(mock, "POST", "/__admin/connect/jwt", body: #"{"app":"com.example.addon","site":"acme"}"#).status == 400,
                "a request token needs a url")
    }

    // MARK: Impersonation

    static let authServer = "https://oauth-2-authorization-server.services.atlassian.com"

    static func assertion(_ mock: MockConfluence, user: String = "5b10a2844c20165700ede21g", secret: String = secret,
                          _ change: (inout JSONObject) -> Void = { _ in }) throws -> String {
        let now = Int(mock.nowSecondsSince1970)
        var claims = JSONObject([("iss", "urn:atlassian:connect:clientid:oc-acme"), ("sub", .string("urn:atlassian:connect:useraccountid:\(user)")),
                                 ("tnt", "https://acme.atlassian.net"), ("aud", .string(authServer)), ("iat", .int(now)), ("exp", .int(now + 60))])
        change(&claims)
        return try JWT.encode(claims: claims, key: HMACKey(secret: secret))
    }

    static func grant(_ mock: MockConfluence, _ assertion: String, scope: String? = nil) throws -> (status: Int, json: JSONValue?) {
        var fields = ["grant_type": PlatformAPI.jwtBearerGrant, "assertion": assertion]
        if let scope { fields["scope"] = scope }
        let answer = try OAuthFlowTests.token(mock, fields, form: true, path: "/oauth2/token")
        return (answer.status, answer.json)
    }

    @Test func anAssertionYieldsATokenThatActsAsTheUserOnTheSite() throws {
        let mock = try MockConfluence.start(scenario: try ConnectRequestTests.connectScenario())
        defer { mock.stop() }
        let answer = try Self.grant(mock, try Self.assertion(mock))
        #expect(answer.status == 200 && answer.json?["token_type"] == "Bearer" && answer.json?["expires_in"]?.intValue == 900)
        let token = try #require(answer.json?["access_token"]?.stringValue)
        let eng = try ReadResourcesTests.get(mock, "/wiki/api/v2/pages/1001", headers: ["Authorization: Bearer \(token)"])
        #expect(eng.status == 200)
        #expect(try ReadResourcesTests.get(mock, "/wiki/api/v2/pages/2001", headers: ["Authorization: Bearer \(token)"]).status == 404, "bob cannot view HR")
        let record = try #require(mock.requests(JournalFilter(path: "/wiki/api/v2/pages/1001")).first?.auth)
        #expect(record.mechanism == .connect && record.principal == "com.example.addon" && record.reason == "acting as user 5b10a2844c20165700ede21g (impersonation token)")
        let body = #"{"spaceId":"98306","status":"current","title":"By Bob","body":{"representation":"storage","value":"<p>x</p>"}}"#
        #expect(try ReadResourcesTests.send(mock, "POST", "/wiki/api/v2/pages", headers: ["Authorization: Bearer \(token)"], json: body).status == 403,
                "WRITE passes the gate; bob may only view ENG")
        let gateway = try ReadResourcesTests.get(mock, "\(OAuthGatewayTests.gateway)/wiki/api/v2/pages/1001", headers: ["Authorization: Bearer \(token)"])
        #expect(gateway.status == 401 && ConnectRequestTests.failure(gateway) == "gateway")
        mock.advanceClock(by: .seconds(900))
        #expect(ConnectRequestTests.failure(try ReadResourcesTests.get(mock, "/wiki/api/v2/pages/1001", headers: ["Authorization: Bearer \(token)"])) == "expired")
    }

    @Test func aRequestedScopeNarrowsTheToken() throws {
        let mock = try MockConfluence.start(scenario: try ConnectRequestTests.connectScenario())
        defer { mock.stop() }
        let readOnly = try Self.grant(mock, try Self.assertion(mock, user: "5b10ac8d82e05b22cc7d4ef5"), scope: "READ")
        let token = try #require(readOnly.json?["access_token"]?.stringValue)
        let body = #"{"spaceId":"98306","status":"current","title":"By Alice","body":{"representation":"storage","value":"<p>x</p>"}}"#
        let write = try ReadResourcesTests.send(mock, "POST", "/wiki/api/v2/pages", headers: ["Authorization: Bearer \(token)"], json: body)
        #expect(write.status == 403 && ConnectRequestTests.failure(write) == "scope")
        #expect(try Self.grant(mock, try Self.assertion(mock), scope: "READ+WRITE").status == 200, "+ joins scopes too")
        let tooMuch = try Self.grant(mock, try Self.assertion(mock), scope: "ADMIN")
        #expect(tooMuch.status == 400 && tooMuch.json?["error"] == "invalid_scope")
    }

    @Test(arguments: [
        ("wrong secret", "invalid_grant"), ("exp too far", "invalid_grant"), ("expired", "invalid_grant"), ("wrong aud", "invalid_grant"),
        ("wrong tnt", "invalid_grant"), ("userkey sub", "invalid_grant"), ("unknown client", "invalid_grant"), ("not a jwt", "invalid_grant"),
    ])
    func badAssertionsAreInvalidGrants(tampering: String, error: String) throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let now = Int(mock.nowSecondsSince1970)
        let assertion: String
        switch tampering {
        case "wrong secret": assertion = try Self.assertion(mock, secret: "another-secret-that-is-32-bytes!!")
        case "exp too far": assertion = try Self.assertion(mock) { $0["exp"] = .int(now + 600) }
        case "expired": assertion = try Self.assertion(mock) { $0["exp"] = .int(now - 120) }
        case "wrong aud": assertion = try Self.assertion(mock) { $0["aud"] = "https://auth.atlassian.com" }
        case "wrong tnt": assertion = try Self.assertion(mock) { $0["tnt"] = "https://globex.atlassian.net" }
        case "userkey sub": assertion = try Self.assertion(mock) { $0["sub"] = "urn:atlassian:connect:userkey:admin" }
        case "unknown client": assertion = try Self.assertion(mock) { $0["iss"] = "urn:atlassian:connect:clientid:nope" }
        default: assertion = "not-a-jwt"
        }
        let answer = try Self.grant(mock, assertion)
        #expect(answer.status == 400 && answer.json?["error"]?.stringValue == error, "\(tampering): \(String(describing: answer.json))")
        #expect(mock.requests().last?.auth.decision == .denied)
    }

    @Test func anAppWithoutActAsUserIsAnUnauthorizedClient() throws {
        var scenario = Scenario.bundledDefault
        scenario.connectApps[0].scopes = [.read]
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let answer = try Self.grant(mock, try Self.assertion(mock))
        #expect(answer.status == 400 && answer.json?["error"] == "unauthorized_client")
        let wrongGrant = try OAuthFlowTests.token(mock, ["grant_type": "password", "assertion": "x"], form: true, path: "/oauth2/token")
        #expect(wrongGrant.status == 400 && wrongGrant.json?["error"] == "unsupported_grant_type")
        let missing = try OAuthFlowTests.token(mock, ["grant_type": PlatformAPI.jwtBearerGrant], form: true, path: "/oauth2/token")
        #expect(missing.status == 400 && missing.json?["error"] == "invalid_request")
    }
}
