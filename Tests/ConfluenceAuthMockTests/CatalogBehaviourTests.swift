import AuthMockFormats
import AuthMockHTTP
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// What the catalog adds to every site: generated answers, validation in each API's shape,
/// deprecated and removed operations, the journal's operation, resources naming an operation,
/// site administrators, the catalog listing and the scope advisor.
@Suite struct CatalogBehaviourTests {
    static let gateway = CatalogGateTests.gateway
    static let alice = "Basic " + Base64.encode(Array("alice@acme.test:alice-api-token".utf8))
    static let bob = "Basic " + Base64.encode(Array("bob@acme.test:bob-api-token".utf8))

    struct Site {
        let mock: MockConfluence
        let pipeline: RequestPipeline

        init(_ scenario: Scenario? = nil) throws {
            mock = try MockConfluence(scenario: try scenario ?? CatalogGateTests.scenario())
            pipeline = RequestPipeline(state: mock.state, options: MockServerOptions())
        }

        func send(_ method: String, _ target: String, as authorization: String = CatalogBehaviourTests.alice, body: String = "") throws -> HTTPResponse {
            var headers: HTTPHeaders = ["Authorization": authorization]
            if !body.isEmpty { headers.set("Content-Type", "application/json") }
            return pipeline.respond(to: try HTTPRequest(method: method, target: target, headers: headers, body: Array(body.utf8)))
        }

        func bearer(_ scopes: [String]) throws -> String {
            "Bearer " + (try mock.mintToken(MockConfluence.TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: scopes)).accessToken)
        }
    }

    static func json(_ response: HTTPResponse) -> JSONValue? { try? JSONValue.parse(response.body) }

    @Test func anOperationWithoutStateAnswersFromItsSchemaTheSameEachTimeAndTheJournalSaysSo() throws {
        let site = try Site()
        let first = try site.send("GET", "/wiki/api/v2/pages/1001/likes/users")
        let second = try site.send("GET", "/wiki/api/v2/pages/1001/likes/users")
        #expect(first.status.code == 200 && first.body == second.body)
        let likes = try #require(Self.json(first))
        #expect(likes["results"]?.arrayValue?.count == 1 && likes["results"]?.arrayValue?.first?["accountId"] != nil)
        let entry = try #require(site.mock.requests(JournalFilter(path: "/wiki/api/v2/pages/1001/likes/users")).first)
        #expect(entry.operation == "getPageLikeUsers" && entry.operationAPI == "v2" && entry.generated)
        #expect(entry.json["operation"] == "getPageLikeUsers" && entry.json["generated"] == true)
        // The body follows the path: a space read by key carries that key.
        #expect(Self.json(try site.send("GET", "/wiki/rest/api/space/ENG/property"))?["results"] != nil)
        _ = try site.send("GET", "/wiki/api/v2/pages/1001")
        let stateful = try #require(site.mock.requests(JournalFilter(path: "/wiki/api/v2/pages/1001")).first)
        #expect(stateful.operation == "getPageById" && !stateful.generated)
        _ = try site.send("GET", "/wiki/nothing/here")
        #expect(site.mock.requests(JournalFilter(path: "/wiki/nothing/here")).first?.json["operation"] == .null)
    }

    @Test func aGeneratedAnswerStillChecksThePermissionOnTheSpaceThePathNames() throws {
        let site = try Site()
        let denied = try site.send("PUT", "/wiki/rest/api/space/ENG/property/color", as: Self.bob, body: #"{"value":"red","version":{"number":2}}"#)
        #expect(denied.status.code == 403)
        #expect(site.mock.requests(JournalFilter(method: "PUT")).first?.auth.reason == "no admin permission on space ENG")
        // Through content the path names: a generated operation on HR's page needs view on HR, and
        // what Bob may not view is hidden (404), as the content model's reads hide it.
        #expect(try site.send("GET", "/wiki/api/v2/pages/2001/likes/count", as: Self.bob).status.code == 404)
        #expect(try site.send("GET", "/wiki/api/v2/pages/1001/likes/count", as: Self.bob).status.code == 200)
        let unknown = try site.send("GET", "/wiki/rest/api/space/NOPE/property")
        #expect(unknown.status.code == 404 && Self.json(unknown)?["message"]?.stringValue?.contains("NOPE") == true)
        // Site administration: Alice administers acme in this scenario, Bob does not.
        #expect(try site.send("GET", "/wiki/rest/api/audit/retention").status.code == 200)
        let notAdmin = try site.send("GET", "/wiki/rest/api/audit/retention", as: Self.bob)
        #expect(notAdmin.status.code == 403)
        let outsider = "Basic " + Base64.encode(Array("carol@acme.test:carol-api-token".utf8))
        #expect(try site.send("GET", "/wiki/rest/api/settings/systemInfo", as: outsider).status.code == 403, "Carol has no access to the site")
    }

    @Test func badRequestsGetTheAPIsOwnShape() throws {
        let site = try Site()
        let badId = try site.send("GET", "/wiki/api/v2/pages/abc")
        #expect(badId.status.code == 400 && Self.json(badId)?["errors"]?.arrayValue?.first?["code"] == "INVALID_REQUEST_PARAMETER")
        let noCQL = try site.send("GET", "/wiki/rest/api/search")
        #expect(noCQL.status.code == 400 && Self.json(noCQL)?["statusCode"] == 400 && Self.json(noCQL)?["message"] == "The query parameter 'cql' is required")
        let notJSON = try site.send("POST", "/wiki/api/v2/pages", body: "{not json")
        #expect(notJSON.status.code == 400 && Self.json(notJSON)?["errors"]?.arrayValue?.first?["title"] == "The request body must be a JSON object")
        let missing = try site.send("POST", "/wiki/api/v2/pages", body: #"{"title":"x"}"#)
        #expect(Self.json(missing)?["errors"]?.arrayValue?.first?["title"] == "The request body lacks the required field 'spaceId'")
        let unknownV1 = try site.send("GET", "/wiki/rest/api/nothing")
        #expect(unknownV1.status.code == 404 && Self.json(unknownV1)?["statusCode"] == 404)
        let unknownV2 = try site.send("GET", "/wiki/api/v2/nothing")
        #expect(unknownV2.status.code == 404 && Self.json(unknownV2)?["errors"]?.arrayValue?.first?["status"] == 404)
        let wrongMethod = try site.send("PATCH", "/wiki/api/v2/pages/1001")
        #expect(wrongMethod.status.code == 405 && wrongMethod.headers["Allow"] == "GET, PUT, DELETE" && Self.json(wrongMethod)?["errors"]?.arrayValue?.first?["status"] == 405)
        let wrongV1 = try site.send("POST", "/wiki/rest/api/space/ENG")
        #expect(wrongV1.status.code == 405 && Self.json(wrongV1)?["statusCode"] == 405 && wrongV1.headers["Allow"] != nil)
        // Validation comes after the credentials: a stranger is refused before the body is read.
        #expect(try site.send("POST", "/wiki/api/v2/pages", as: "Basic " + Base64.encode(Array("x@y.z:nope".utf8)), body: "{").status.code != 400)
    }

    @Test func aRemovedOperationAnswers410ToABearerTokenThroughTheGatewayOnly() throws {
        let site = try Site()
        let holding = try site.bearer(["read:confluence-space.summary"])
        let gone = try site.send("GET", "\(Self.gateway)/wiki/rest/api/space", as: holding)
        #expect(gone.status.code == 410)
        #expect(String(decoding: gone.body, as: UTF8.self) == #"{"statusCode":410,"message":"com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed."}"#)
        let lacking = try site.send("GET", "\(Self.gateway)/wiki/rest/api/space", as: try site.bearer(["read:page:confluence"]))
        #expect(lacking.status.code == 401, "the scope gate comes first")
        let basic = try site.send("GET", "\(Self.gateway)/wiki/rest/api/space")
        #expect(basic.status.code == 200 && basic.headers["Deprecation"] == "Wed, 1 Mar 2023 00:00:00 GMT")
        #expect(basic.headers["Link"] == #"<https://developer.atlassian.com/cloud/confluence/changelog/#CHANGE-864>; rel="deprecation""#)
        #expect(try site.send("GET", "/wiki/rest/api/space").status.code == 200, "basic auth on the site keeps being served")
        #expect(try site.send("GET", "/wiki/rest/api/space/ENG").headers["Deprecation"] == nil)
        // cloud-2021 serves it everywhere.
        var older = try CatalogGateTests.scenario()
        older.profile = .cloud2021
        let site2021 = try Site(older)
        #expect(try site2021.send("GET", "\(Self.gateway)/wiki/rest/api/space", as: try site2021.bearer(["read:confluence-space.summary"])).status.code == 200)
    }

    @Test func aResourceNamingAnOperationReplacesItsAnswerAndKeepsItsScopes() throws {
        var scenario = try CatalogGateTests.scenario()
        scenario.resources = [try #require(Scenario.load(json: """
            {"sites":[{"name":"s","cloudId":"a436116f-02ce-4520-8fbb-7301462a1679","url":"https://s.atlassian.net"}],
             "resources":[{"operation":"getPageLabels","response":{"status":200,"json":{"results":[{"id":"7","name":"fixed"}]}}}]}
            """).resources.first)]
        let site = try Site(scenario)
        let fixed = try site.send("GET", "/wiki/api/v2/pages/1001/labels")
        #expect(Self.json(fixed)?["results"]?.arrayValue?.first?["name"] == "fixed")
        let lacking = try site.send("GET", "\(Self.gateway)/wiki/api/v2/pages/1001/labels", as: try site.bearer(["read:space:confluence"]))
        #expect(lacking.status.code == 401, "the operation's own scopes still apply")
        #expect(site.mock.requests(JournalFilter(path: "/wiki/api/v2/pages/1001/labels")).first?.operation == "getPageLabels")
        #expect(throws: ScenarioError.self) { try Scenario.load(json: #"{"sites":[{"name":"s","cloudId":"a436116f-02ce-4520-8fbb-7301462a1679","url":"https://s.atlassian.net"}],"resources":[{"operation":"getSpaces","response":{"status":200}}]}"#) }
    }

    @Test func theScopeAdvisorNamesTheSmallestSetsForWhatAClientCalled() throws {
        let site = try Site()
        let token = try site.bearer(["read:page:confluence", "write:page:confluence", "read:confluence-content.all", "read:space:confluence"])
        _ = try site.send("GET", "\(Self.gateway)/wiki/api/v2/pages/1001", as: token)
        _ = try site.send("GET", "\(Self.gateway)/wiki/api/v2/pages/1002", as: token)
        _ = try site.send("GET", "\(Self.gateway)/wiki/rest/api/content/1001", as: token)
        _ = try site.send("GET", "\(Self.gateway)/wiki/api/v2/spaces/98306", as: token)
        _ = try site.send("GET", "\(Self.gateway)/wiki/api/v2/pages/1001/labels", as: token)
        let advice = site.mock.scopeAdvice(client: "acme-sync-client")
        #expect(advice.granular == ["read:content-details:confluence", "read:page:confluence", "read:space:confluence"])
        #expect(advice.classic == nil, "classic scopes never open v2")
        #expect(advice.connect == "READ")
        #expect(advice.operations.map(\.operationId) == ["getContentById", "getPageById", "getPageLabels", "getSpaceById"])
        #expect(advice.operations.first { $0.operationId == "getPageById" }?.count == 2)
        #expect(advice.operations.first { $0.operationId == "getContentById" }?.allowed == true)
        #expect(advice.operations.allSatisfy { $0.allowed })
        _ = try site.send("GET", "\(Self.gateway)/wiki/api/v2/pages/1001/labels", as: try site.bearer(["read:space:confluence"]))
        let refusedOnce = site.mock.scopeAdvice(client: "acme-sync-client").operations.first { $0.operationId == "getPageLabels" }
        #expect(refusedOnce?.count == 2 && refusedOnce?.allowed == false)
        let viaAdmin = try site.send("GET", "/__admin/scopes?client=acme-sync-client")
        #expect(Self.json(viaAdmin) == site.mock.scopeAdvice(client: "acme-sync-client").json)
        #expect(try site.send("GET", "/__admin/scopes").status.code == 400)
        #expect(try site.send("GET", "/__admin/scopes?client=x&since=yesterday").status.code == 400)
        let later = try site.send("GET", "/__admin/scopes?client=acme-sync-client&since=2999-01-01T00:00:00Z")
        #expect(Self.json(later)?["operations"]?.arrayValue?.isEmpty == true)
    }

    @Test func theCatalogListingGivesEveryOperationItsState() throws {
        let site = try Site()
        let operations = try #require(Self.json(try site.send("GET", "/__admin/catalog"))?["operations"]?.arrayValue)
        #expect(operations.count == 343)
        let states = Dictionary(grouping: operations, by: { $0["state"]?.stringValue ?? "" }).mapValues(\.count)
        #expect(states["removed"] == 1 && states["stateful"] == 79 && states["generated"] == 263)
        let spaces = operations.first { $0["api"] == "v1" && $0["operationId"] == "getSpaces" }
        #expect(spaces?["state"] == "removed" && spaces?["classicScopes"] == ["read:confluence-space.summary"] && spaces?["permission"] == "view")
    }

    /// docs/catalog.md is written from the embedded data; regenerate it with
    /// `swift run confluence-auth-mock catalog --markdown > docs/catalog.md`.
    @Test func docsCatalogIsCurrent() throws {
        let file = try String(contentsOfFile: repositoryRoot.appendingPathComponent("docs/catalog.md").path, encoding: .utf8)
        #expect(file == MockConfluence.catalogMarkdown(), "docs/catalog.md is stale: run swift run confluence-auth-mock catalog --markdown > docs/catalog.md")
    }
}
