import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// The 3LO dance over HTTP: /authorize, then /oauth/token for codes and rotating refresh tokens.
@Suite struct OAuthFlowTests {
    static let callback = "http://127.0.0.1:8765/callback"

    static func authorizeURL(_ mock: MockConfluence, client: String = "acme-sync-client", scope: String = "read:page:confluence offline_access",
                             redirect: String = callback, responseType: String = "code", audience: String = "api.atlassian.com") -> String {
        func q(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
        return "\(mock.baseURLString)/authorize?audience=\(q(audience))&client_id=\(q(client))&scope=\(q(scope))&redirect_uri=\(q(redirect))&state=xyz&response_type=\(responseType)&prompt=consent"
    }

    /// Status, Location and body of a GET that is not followed.
    static func visit(_ url: String) throws -> (status: Int, location: String?, body: String) {
        let output = try runProcess("curl", ["-sS", "-i", url]).stdout
        let split = output.range(of: "\r\n\r\n")!
        let head = output[..<split.lowerBound].components(separatedBy: "\r\n")
        let location = head.first { $0.lowercased().hasPrefix("location:") }.map { String($0.dropFirst(9)).trimmingCharacters(in: .whitespaces) }
        return (Int(head[0].split(separator: " ")[1])!, location, String(output[split.upperBound...]))
    }

    static func query(_ location: String?) -> [String: String] {
        guard let location, let components = URLComponents(string: location) else { return [:] }
        return Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    static func token(_ mock: MockConfluence, _ fields: [String: String], form: Bool = false, basic: String? = nil,
                      path: String = "/oauth/token") throws -> (status: Int, json: JSONValue?, headers: String) {
        var arguments = ["-sS", "-i", "-X", "POST", "\(mock.baseURLString)\(path)"]
        if form {
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) { arguments += ["--data-urlencode", "\(name)=\(value)"] }
        } else {
            arguments += ["-H", "Content-Type: application/json", "--data-binary", JSONValue.object(JSONObject(fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })).serialized]
        }
        if let basic { arguments += ["-u", basic] }
        let output = try runProcess("curl", arguments).stdout
        let split = output.range(of: "\r\n\r\n")!
        let head = String(output[..<split.lowerBound])
        return (Int(head.split(separator: " ")[1])!, try? JSONValue.parse(String(output[split.upperBound...])), head)
    }

    static func codeGrant(_ mock: MockConfluence, scope: String = "read:page:confluence offline_access") throws -> [String: String] {
        let code = query(try visit(authorizeURL(mock, scope: scope)).location)["code"]!
        return ["grant_type": "authorization_code", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret", "code": code, "redirect_uri": callback]
    }

    @Test func approveExchangeAndCallTheGateway() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let visit = try Self.visit(Self.authorizeURL(mock))
        #expect(visit.status == 302 && visit.location?.hasPrefix(Self.callback + "?code=") == true)
        #expect(Self.query(visit.location)["state"] == "xyz")
        let code = Self.query(visit.location)["code"]!
        let exchanged = try Self.token(mock, ["grant_type": "authorization_code", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret",
                                              "code": code, "redirect_uri": Self.callback])
        #expect(exchanged.status == 200 && exchanged.headers.contains("Cache-Control: no-store"))
        #expect(exchanged.json?["expires_in"] == 3600 && exchanged.json?["token_type"] == "Bearer" && exchanged.json?["scope"] == "read:page:confluence offline_access")
        #expect(exchanged.json?["refresh_token"]?.stringValue != nil)
        let access = exchanged.json!["access_token"]!.stringValue!
        #expect(try OAuthGatewayTests.call(mock, "\(OAuthGatewayTests.gateway)/wiki/api/v2/pages/1001", token: access).status == 200)
    }

    @Test func aReusedCodeFailsAndRevokesWhatItIssued() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let grant = try Self.codeGrant(mock)
        let first = try Self.token(mock, grant)
        let access = first.json!["access_token"]!.stringValue!
        let again = try Self.token(mock, grant)
        #expect(again.status == 403 && again.json == ["error": "invalid_grant", "error_description": "Invalid authorization code"])
        #expect(try OAuthGatewayTests.call(mock, "\(OAuthGatewayTests.gateway)/wiki/api/v2/pages/1001", token: access).status == 401)
        let refresh = try Self.token(mock, ["grant_type": "refresh_token", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret",
                                            "refresh_token": first.json!["refresh_token"]!.stringValue!])
        #expect(refresh.status == 403, "its refresh family is revoked too")
    }

    /// The cloud-2021 profile keeps RFC 6749's `invalid_client` for a client that did not authenticate.
    @Test func cloud2021RefusesAClientWithInvalidClient() throws {
        var scenario = Scenario.bundledDefault
        scenario.profile = .cloud2021
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let refused = try Self.token(mock, try Self.codeGrant(mock).merging(["client_secret": "nope"]) { $1 })
        #expect(refused.status == 401 && refused.json == ["error": "invalid_client", "error_description": "Unauthorized"])
    }

    @Test func codeExpiryRedirectMismatchAndClientAuthentication() throws {
        let mock = try MockConfluence.start(scenario: Scenario(clock: ClockSettings(start: 1_767_225_600, frozen: true), sites: Scenario.bundledDefault.sites,
                                                               users: Scenario.bundledDefault.users, oauthClients: Scenario.bundledDefault.oauthClients))
        defer { mock.stop() }
        var grant = try Self.codeGrant(mock)
        grant["redirect_uri"] = "http://localhost:8765/callback"
        #expect(try Self.token(mock, grant).json?["error_description"] == "redirect_uri does not match the one authorized")
        let wrongSecret = try Self.token(mock, try Self.codeGrant(mock).merging(["client_secret": "nope"]) { $1 })
        #expect(wrongSecret.status == 401 && wrongSecret.json == ["error": "access_denied", "error_description": "Unauthorized"])
        var unknownClient = try Self.codeGrant(mock)
        unknownClient["client_id"] = "nobody"
        #expect(try Self.token(mock, unknownClient).json == ["error": "access_denied", "error_description": "Unauthorized"])
        var viaBasic = try Self.codeGrant(mock)
        viaBasic["client_id"] = nil
        viaBasic["client_secret"] = nil
        #expect(try Self.token(mock, viaBasic, form: true, basic: "acme-sync-client:acme-sync-secret").status == 200, "form body, HTTP Basic client auth")
        let late = try Self.codeGrant(mock)
        mock.advanceClock(by: .seconds(600))
        #expect(try Self.token(mock, late).json?["error"] == "invalid_grant")
        #expect(try Self.token(mock, ["client_id": "acme-sync-client"]).json == ["error": "invalid_request", "error_description": "Missing required parameter: grant_type"])
        #expect(try Self.token(mock, ["grant_type": "password"]).json?["error"] == "unsupported_grant_type")
    }

    @Test func authorizeErrors() throws {
        var scenario = Scenario.bundledDefault
        var denying = scenario.oauthClients[0]
        denying.clientId = "denied-client"
        denying.consent.mode = .deny
        scenario.oauthClients.append(denying)
        let mock = try MockConfluence.start(scenario: scenario)
        defer { mock.stop() }
        let unknown = try Self.visit(Self.authorizeURL(mock, client: "nobody"))
        #expect(unknown.status == 400 && unknown.location == nil && unknown.body.contains("Unknown client: nobody"))
        let mismatch = try Self.visit(Self.authorizeURL(mock, redirect: "http://evil.example/cb"))
        #expect(mismatch.status == 400 && mismatch.location == nil)
        #expect(mismatch.body.contains("Callback URL mismatch. http://evil.example/cb is not in the list of allowed callback URLs"))
        let implicit = Self.query(try Self.visit(Self.authorizeURL(mock, responseType: "token")).location)
        #expect(implicit["error"] == "unsupported_response_type" && implicit["state"] == "xyz")
        #expect(Self.query(try Self.visit(Self.authorizeURL(mock, audience: "example.com")).location)["error"] == "invalid_request")
        let scope = Self.query(try Self.visit(Self.authorizeURL(mock, scope: "read:page:confluence manage:confluence-configuration")).location)
        #expect(scope["error"] == "invalid_scope" && scope["error_description"] == "scope not enabled for this app: manage:confluence-configuration")
        let denied = Self.query(try Self.visit(Self.authorizeURL(mock, client: "denied-client")).location)
        #expect(denied == ["error": "access_denied", "error_description": "User did not authorize the request", "state": "xyz"])
    }

    /// Rotation, the reuse interval, family revocation and inactivity (docs/reference.md §1.7), on the scenario clock.
    @Test func rotatingRefreshTokens() throws {
        let mock = try MockConfluence.start(scenario: Scenario(clock: ClockSettings(start: 1_767_225_600, frozen: true), sites: Scenario.bundledDefault.sites,
                                                               users: Scenario.bundledDefault.users, oauthClients: Scenario.bundledDefault.oauthClients))
        defer { mock.stop() }
        func refresh(_ token: String) throws -> (status: Int, json: JSONValue?, headers: String) {
            try Self.token(mock, ["grant_type": "refresh_token", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret", "refresh_token": token])
        }
        let first = try Self.token(mock, try Self.codeGrant(mock)).json!
        let r1 = first["refresh_token"]!.stringValue!
        let second = try refresh(r1)
        #expect(second.status == 200 && second.json?["scope"] == "read:page:confluence offline_access")
        let r2 = second.json!["refresh_token"]!.stringValue!
        #expect(r2 != r1, "every use rotates")
        mock.advanceClock(by: .seconds(600))
        #expect(try refresh(r1).status == 200, "the old token still works within the 10-minute reuse interval")
        mock.advanceClock(by: .seconds(1))
        let reuse = try refresh(r1)
        #expect(reuse.status == 403 && reuse.json == ["error": "invalid_grant", "error_description": "Unknown or invalid refresh token."])
        #expect(try refresh(r2).status == 403, "reuse after the interval revoked the whole family")
        let access = second.json!["access_token"]!.stringValue!
        #expect(try OAuthGatewayTests.call(mock, "\(OAuthGatewayTests.gateway)/wiki/api/v2/pages/1001", token: access).status == 401)

        let fresh = try Self.token(mock, try Self.codeGrant(mock)).json!["refresh_token"]!.stringValue!
        mock.advanceClock(by: .seconds(7_776_000))
        #expect(try refresh(fresh).status == 403, "90 days without use")
        let online = try Self.token(mock, try Self.codeGrant(mock, scope: "read:page:confluence")).json
        #expect(online?["refresh_token"] == nil, "no offline_access, no refresh token")
    }
}

/// `client_credentials` for Connect apps on Forge: the token acts as the app user, within the app's Connect scopes.
@Suite struct ClientCredentialsTests {
    static let fields = ["grant_type": "client_credentials", "client_id": "oc-acme", "client_secret": "a-shared-secret-of-32-bytes-min!",
                         "audience": "api.atlassian.com"]

    @Test func anAppTokenWithinItsConnectScopes() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let issued = try OAuthFlowTests.token(mock, Self.fields)
        #expect(issued.status == 200 && issued.json?["refresh_token"] == nil && issued.json?["scope"] == "READ WRITE ACT_AS_USER")
        let token = try #require(issued.json?["access_token"]?.stringValue)
        #expect(try OAuthGatewayTests.call(mock, "\(OAuthGatewayTests.gateway)/wiki/api/v2/pages/2001", token: token).status == 200,
                "the default app user may view every space")
        let created = try OAuthGatewayTests.call(mock, "\(OAuthGatewayTests.gateway)/wiki/api/v2/pages", token: token, method: "POST",
                                                 json: #"{"spaceId":"98306","title":"From the app","body":{"representation":"storage","value":"<p>hi</p>"}}"#)
        #expect(created.status == 200)
        let delete = try OAuthGatewayTests.call(mock, "\(OAuthGatewayTests.gateway)/wiki/api/v2/pages/1001", token: token, method: "DELETE", json: "{}")
        #expect(delete.status == 401 && delete.body == #"{"code":401,"message":"Unauthorized; scope does not match"}"#, "DELETE is beyond READ and WRITE")
        let record = mock.requests(JournalFilter(method: "DELETE")).first?.auth
        #expect(record?.principal == "com.example.addon" && record?.scopesRequired == ["DELETE"] && record?.reason == "scope does not match: the app lacks DELETE")
    }

    @Test func theAppUsersPermissionsApply() throws {
        let mock = try MockConfluence.start(scenario: try Scenario.load(contentsOfFile: repositoryRoot.appendingPathComponent("scenarios/connect-app.json").path))
        defer { mock.stop() }
        let token = try #require(try OAuthFlowTests.token(mock, Self.fields).json?["access_token"]?.stringValue)
        #expect(try OAuthGatewayTests.call(mock, "\(OAuthGatewayTests.gateway)/wiki/api/v2/pages/1001", token: token).status == 200)
        let write = try OAuthGatewayTests.call(mock, "\(OAuthGatewayTests.gateway)/wiki/api/v2/pages", token: token, method: "POST",
                                               json: #"{"spaceId":"98306","title":"Nope"}"#)
        #expect(write.status == 403, "the app user may only view ENG in this scenario")
    }

    @Test func badAppCredentials() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        #expect(try OAuthFlowTests.token(mock, Self.fields.merging(["client_secret": "wrong"]) { $1 }).json == ["error": "access_denied", "error_description": "Unauthorized"])
        #expect(try OAuthFlowTests.token(mock, Self.fields.merging(["audience": "example.com"]) { $1 }).status == 400)
        #expect(try OAuthFlowTests.token(mock, Self.fields.merging(["client_id": "acme-sync-client"]) { $1 }).status == 401)
    }

    @Test func theConnectScopeLadder() {
        #expect(ConnectScope.read.isImplied(by: [.write]))
        #expect(ConnectScope.delete.isImplied(by: [.admin]))
        #expect(!ConnectScope.delete.isImplied(by: [.read, .write, .actAsUser]))
        #expect(ConnectScope.actAsUser.isImplied(by: [.actAsUser]) && !ConnectScope.actAsUser.isImplied(by: [.admin]))
    }
}
