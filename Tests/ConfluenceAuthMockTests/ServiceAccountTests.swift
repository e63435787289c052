import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Service accounts (docs/reference.md §8.5): OAuth 2.0 client credentials and scoped API tokens,
/// through the gateway only, within their scopes and the account's own space permissions.
@Suite struct ServiceAccountTests {
    static let accountId = "712020:5c2b3f4e-0b7d-4a4b-9f8e-2d1c0b9a8f7e"
    static let gateway = "/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674"
    static let globex = "/ex/confluence/b7f3c2d1-0000-4000-8000-000000000002"
    static let credentials = ["grant_type": "client_credentials", "client_id": "ci-bot-client", "client_secret": "ci-bot-secret"]

    static func start(_ edit: (inout Scenario) -> Void = { _ in }) throws -> MockConfluence {
        var scenario = Scenario.bundled(.serviceAccount)
        edit(&scenario)
        return try MockConfluence.start(scenario: scenario)
    }

    static func token(_ mock: MockConfluence, scope: String? = nil) throws -> String {
        var fields = credentials
        fields["scope"] = scope
        return try #require(try OAuthFlowTests.token(mock, fields).json?["access_token"]?.stringValue)
    }

    static func call(_ mock: MockConfluence, _ path: String, bearer: String) throws -> ReadResourcesTests.Answer {
        try ReadResourcesTests.get(mock, path, headers: ["Authorization: Bearer \(bearer)"])
    }

    @Test func clientCredentialsInAFormAJSONBodyOrBasicGetAnHourLongTokenWithoutRefresh() throws {
        let mock = try Self.start()
        defer { mock.stop() }
        var basic = Self.credentials
        basic["client_id"] = nil
        basic["client_secret"] = nil
        let answers = [try OAuthFlowTests.token(mock, Self.credentials), try OAuthFlowTests.token(mock, Self.credentials, form: true),
                       try OAuthFlowTests.token(mock, basic, form: true, basic: "ci-bot-client:ci-bot-secret")]
        for answer in answers {
            #expect(answer.status == 200 && answer.json?["expires_in"] == 3600 && answer.json?["token_type"] == "Bearer")
            #expect(answer.json?["refresh_token"] == nil)
            #expect(answer.json?["scope"] == "read:page:confluence write:page:confluence read:space:confluence read:confluence-content.all read:confluence-user read:user:confluence read:me")
        }
        let entry = try #require(mock.requests(JournalFilter(path: "/oauth/token")).first?.auth)
        #expect(entry.mechanism == .serviceAccountOAuth && entry.principal == Self.accountId && entry.client == "ci-bot-client" && entry.decision == .allowed)
    }

    @Test func aTokenRequestMayAskForFewerScopesButNoOthers() throws {
        let mock = try Self.start()
        defer { mock.stop() }
        var fields = Self.credentials
        fields["scope"] = "read:page:confluence read:me"
        #expect(try OAuthFlowTests.token(mock, fields).json?["scope"] == "read:page:confluence read:me")
        fields["scope"] = "read:page:confluence delete:page:confluence"
        let refused = try OAuthFlowTests.token(mock, fields)
        #expect(refused.status == 400 && refused.json?["error"] == "invalid_scope")
        #expect(refused.json?["error_description"] == "Scopes not granted to this credential: delete:page:confluence")
        fields["scope"] = nil
        fields["client_secret"] = "wrong"
        #expect(try OAuthFlowTests.token(mock, fields).json == ["error": "access_denied", "error_description": "Unauthorized"])
    }

    /// The token acts as the account through the gateway: its scopes, its own permissions, its sites.
    @Test func theTokenActsAsTheAccountThroughTheGatewayOnly() throws {
        let mock = try Self.start()
        defer { mock.stop() }
        let token = try Self.token(mock)
        let page = try Self.call(mock, "\(Self.gateway)/wiki/api/v2/pages/1001", bearer: token)
        #expect(page.status == 200 && page.json?["title"] == "Runbook")
        #expect(try Self.call(mock, "\(Self.gateway)/wiki/api/v2/pages/2001", bearer: token).status == 404, "HR is not the account's")
        let record = try #require(mock.requests(JournalFilter(path: "\(Self.gateway)/wiki/api/v2/pages/1001")).first?.auth)
        #expect(record.mechanism == .serviceAccountOAuth && record.principal == Self.accountId && record.client == "ci-bot-client")
        let created = try OAuthGatewayTests.call(mock, "\(Self.gateway)/wiki/api/v2/pages", token: token, method: "POST",
                                                 json: #"{"spaceId":"98306","title":"Build 42","body":{"representation":"storage","value":"<p>green</p>"}}"#)
        #expect(created.status == 200, "the account may edit ENG")
        let narrow = try Self.token(mock, scope: "read:page:confluence")
        #expect(try Self.call(mock, "\(Self.gateway)/wiki/api/v2/spaces", bearer: narrow).body == #"{"code":401,"message":"Unauthorized; scope does not match"}"#)

        let foreign = try Self.call(mock, "\(Self.globex)/wiki/api/v2/pages/1001", bearer: token)
        #expect(foreign.status == 401 && foreign.body == #"{"code":401,"message":"Unauthorized"}"#, "no access to globex")
        #expect(mock.requests(JournalFilter(path: "\(Self.globex)/*")).first?.auth.reason == "site globex is not in the grant")
        let onSite = try Self.call(mock, "/site/acme/wiki/api/v2/pages/1001", bearer: token)
        #expect(onSite.status == 401, "refused on the site's own domain, as every OAuth token is")
    }

    @Test func theAccountShowsItselfAsAnApp() throws {
        let mock = try Self.start()
        defer { mock.stop() }
        let token = try Self.token(mock)
        let current = try Self.call(mock, "\(Self.gateway)/wiki/rest/api/user/current", bearer: token).json
        #expect(current?["accountType"] == "app" && current?["accountId"]?.stringValue == Self.accountId)
        #expect(current?["email"] == "ci-bot-7d2a@serviceaccount.atlassian.com")
        let me = try Self.call(mock, "/me", bearer: token).json
        #expect(me?["account_type"] == "app" && me?["account_id"]?.stringValue == Self.accountId)
        #expect(mock.requests(JournalFilter(path: "/me")).first?.auth.mechanism == .serviceAccountOAuth)
        let bulk = try OAuthGatewayTests.call(mock, "\(Self.gateway)/wiki/api/v2/users-bulk", token: token, method: "POST",
                                              json: #"{"accountIds":["\#(Self.accountId)","5b10ac8d82e05b22cc7d4ef5","nobody"]}"#).json
        #expect(bulk?["results"]?.arrayValue?.map { $0["accountType"]?.stringValue ?? "" } == ["app", "atlassian"])
        #expect(bulk?["results"]?.arrayValue?.first?["email"] == "ci-bot-7d2a@serviceaccount.atlassian.com")
        let empty = try OAuthGatewayTests.call(mock, "\(Self.gateway)/wiki/api/v2/users-bulk", token: token, method: "POST", json: #"{"accountIds":[]}"#)
        #expect(empty.status == 400 && empty.json?["errors"]?.arrayValue?.first?["code"] == "INVALID_REQUEST_PARAMETER")
        let sites = try Self.call(mock, "/oauth/token/accessible-resources", bearer: token).json?.arrayValue
        #expect(sites?.compactMap { $0["id"]?.stringValue } == ["a436116f-02ce-4520-8fbb-7301462a1674"])
    }

    /// A scoped API token: Basic or Bearer through the gateway, 401 on the site's own domain.
    @Test func theScopedAPITokenWorksAsBasicOrBearerThroughTheGateway() throws {
        let mock = try Self.start()
        defer { mock.stop() }
        let basic = "ci-bot-7d2a@serviceaccount.atlassian.com:ci-bot-scoped-token"
        let viaBasic = try ReadResourcesTests.get(mock, "\(Self.gateway)/wiki/rest/api/content/1001", as: basic)
        let viaBearer = try Self.call(mock, "\(Self.gateway)/wiki/api/v2/pages/1001", bearer: "ci-bot-scoped-token")
        #expect(viaBasic.status == 200 && viaBearer.status == 200 && viaBearer.json?["title"] == "Runbook")
        for path in ["\(Self.gateway)/wiki/rest/api/content/1001", "\(Self.gateway)/wiki/api/v2/pages/1001"] {
            let record = try #require(mock.requests(JournalFilter(path: path)).first?.auth)
            #expect(record.mechanism == .serviceAccountToken && record.principal == Self.accountId && record.decision == .allowed, "\(path)")
        }
        let write = try OAuthGatewayTests.call(mock, "\(Self.gateway)/wiki/api/v2/pages", token: "ci-bot-scoped-token", method: "POST",
                                               json: #"{"spaceId":"98306","title":"Nope"}"#)
        #expect(write.status == 401 && write.body == #"{"code":401,"message":"Unauthorized; scope does not match"}"#)
        #expect(try Self.call(mock, "\(Self.globex)/wiki/api/v2/pages/1001", bearer: "ci-bot-scoped-token").status == 401)
        #expect(try ReadResourcesTests.get(mock, "\(Self.globex)/wiki/rest/api/content/1001", as: basic).status == 401)
        let siteBasic = try ReadResourcesTests.get(mock, "/site/acme/wiki/rest/api/content/1001", as: basic)
        let siteBearer = try Self.call(mock, "/site/acme/wiki/rest/api/content/1001", bearer: "ci-bot-scoped-token")
        #expect(siteBasic.status == 401 && siteBearer.status == 401)
        let onSite = mock.requests(JournalFilter(path: "/site/acme/*"))
        #expect(onSite.count == 2 && onSite.allSatisfy { $0.auth.mechanism == .serviceAccountToken && $0.auth.decision == .denied })
    }

    @Test func theAdminAPIAndSwiftMintForAnAccount() throws {
        let mock = try Self.start { $0.tokens.serviceAccountTokenLifetime = 120 }
        defer { mock.stop() }
        let minted = try mock.mintToken(TokenRequest(serviceAccount: Self.accountId, scopes: ["read:page:confluence"]))
        #expect(minted.expiresIn == 120 && minted.refreshToken == nil && minted.scope == "read:page:confluence")
        #expect(try Self.call(mock, "\(Self.gateway)/wiki/api/v2/pages/1001", bearer: minted.accessToken).status == 200)
        let overHTTP = try AdminAPITests.call(mock, "POST", "/__admin/tokens", body: #"{"serviceAccount":"ci-bot-7d2a@serviceaccount.atlassian.com","client":"ci-bot-client"}"#)
        #expect(overHTTP.status == 200 && overHTTP.json?["expires_in"] == 120)
        let token = try #require(overHTTP.json?["access_token"]?.stringValue)
        #expect(try Self.call(mock, "/me", bearer: token).json?["account_type"] == "app")
        mock.advanceClock(by: .seconds(121))
        #expect(try Self.call(mock, "\(Self.gateway)/wiki/api/v2/pages/1001", bearer: token).status == 401, "expired after the account's lifetime")

        let refused = try AdminAPITests.call(mock, "POST", "/__admin/tokens", body: #"{"serviceAccount":"nobody","scopes":[]}"#)
        #expect(refused.status == 400 && refused.json?.serialized.contains("unknown service account") == true)
        #expect(throws: TokenRequestError.self) { try mock.mintToken(TokenRequest(serviceAccount: Self.accountId, scopes: ["delete:page:confluence"])) }
        let error = #expect(throws: TokenRequestError.self) { try mock.mintToken(TokenRequest(serviceAccount: Self.accountId, sites: ["globex"])) }
        #expect(error?.issues.first?.path == "sites[0]")
    }

    /// Bad service-account input is refused with every problem by JSON path: values first, then
    /// (once every value reads) what refers to other parts of the scenario.
    @Test func badAccountsAreRefusedByPath() throws {
        func problems(_ edit: (inout JSONObject, inout JSONObject) -> Void) throws -> [ScenarioIssue] {
            var json = try #require(Scenario.bundled(.serviceAccount).json.objectValue)
            var account = try #require(json["serviceAccounts"]?.arrayValue?.first?.objectValue)
            edit(&json, &account)
            json["serviceAccounts"] = .array([.object(account)])
            let error = #expect(throws: ScenarioError.self) { try Scenario.load(json: JSONValue.object(json).serialized) }
            return error?.issues ?? []
        }
        let values = try problems { _, account in
            account["email"] = "bot@example.com"
            account["apiTokens"] = ["bare-token"]
            account["oauthCredentials"] = [["clientId": "c", "clientSecret": "s", "scopes": ["bogus", "offline_access"]]]
        }
        #expect(values.map(\.path).sorted() == ["serviceAccounts[0].apiTokens[0]", "serviceAccounts[0].email",
                                                 "serviceAccounts[0].oauthCredentials[0].scopes", "serviceAccounts[0].oauthCredentials[0].scopes[0]"])
        #expect(values.first { $0.path == "serviceAccounts[0].email" }?.message.contains("@serviceaccount.atlassian.com") == true)
        let references = try problems { json, account in
            account["sites"] = ["nowhere": ["spaces": [:]], "acme": ["spaces": ["XX": ["view"]]]]
            account["apiTokens"] = [["token": "alice-api-token", "scopes": ["read:page:confluence"]]]
            account["accountId"] = "5b10ac8d82e05b22cc7d4ef5"
            json["oauthClients"] = [["clientId": "ci-bot-client", "clientSecret": "x", "redirectUris": ["http://127.0.0.1:1/cb"], "scopes": ["read:me"]]]
        }
        #expect(references.map(\.path).sorted() == ["serviceAccounts[0].accountId", "serviceAccounts[0].apiTokens[0].token",
                                                     "serviceAccounts[0].oauthCredentials[0].clientId",
                                                     "serviceAccounts[0].sites.acme.spaces.XX", "serviceAccounts[0].sites.nowhere"])
        #expect(references.first { $0.path.hasSuffix("clientId") }?.message.contains("duplicate client id") == true)
        #expect(references.first { $0.path.hasSuffix("token") }?.message.contains("also a user's") == true)
    }
}
