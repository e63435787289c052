import AuthMockHTTP
import Testing
@testable import ConfluenceAuthMock

/// The embedded operation catalog (scripts/generate-catalog.py, docs/catalog.md): complete, and each
/// operation's facts as Atlassian's documents give them.
@Suite struct OperationCatalogTests {
    static let catalog = OperationCatalog.shared

    @Test func everyDocumentedOperationIsThereOnce() {
        #expect(Self.catalog.operations.count == 343)
        #expect(Self.catalog.operations.filter { $0.api == "v1" }.count == 155 && Self.catalog.operations.filter { $0.api == "v2" }.count == 188)
        let names = Self.catalog.operations.map { "\($0.api) \($0.operationId)" }
        #expect(Set(names).count == names.count, "an operation is named by its API and id")
        let routes = Self.catalog.operations.map { "\($0.method) \($0.path)" }
        #expect(Set(routes).count == routes.count, "one operation per method and path")
    }

    @Test func pathsAreRoutePatternsUnderTheirAPI() {
        for operation in Self.catalog.operations {
            #expect(RoutePattern.problem(in: operation.path) == nil, "\(operation.path)")
            let prefix = operation.api == "v2" ? "/wiki/api/v2/" : "/wiki/rest/api/"
            #expect(operation.path.hasPrefix(prefix) || operation.path.hasPrefix("/atlassian-connect/1/"), "\(operation.path)")
            let named = operation.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            #expect(Set(named) == Set(operation.pathParameters.map(\.name)), "\(operation.operationId): path parameters")
        }
    }

    @Test func scopesAndPermissionsAreRead() throws {
        let known = Set(["READ", "WRITE", "DELETE", "SPACE_ADMIN", "ADMIN", "ACT_AS_USER", "ACCESS_EMAIL_ADDRESSES", "NONE", "INACCESSIBLE"])
        for operation in Self.catalog.operations {
            #expect(known.contains(operation.connectScope), "\(operation.operationId)")
            #expect(["site", "view", "edit", "delete", "space-admin", "site-admin"].contains(operation.permission))
            if operation.api == "v2" { #expect(!operation.granularScopes.isEmpty && operation.classicScopes.isEmpty, "\(operation.operationId)") }
        }
        let attachments = try #require(Self.catalog.operations.first { $0.api == "v2" && $0.operationId == "getAttachments" })
        #expect(attachments.method == "GET" && attachments.path == "/wiki/api/v2/attachments")
        #expect(attachments.granularScopes == ["read:attachment:confluence"] && attachments.connectScope == "READ")
        #expect(attachments.queryParameters.contains(Parameter(name: "limit", type: "integer", required: false)))
        let page = try #require(Self.catalog.operations.first { $0.api == "v2" && $0.method == "GET" && $0.path == "/wiki/api/v2/pages/{id}" })
        #expect(page.pathParameters == [Parameter(name: "id", type: "integer", required: true)] && page.permission == "view")
        let createPage = try #require(Self.catalog.operations.first { $0.api == "v2" && $0.method == "POST" && $0.path == "/wiki/api/v2/pages" })
        #expect(createPage.granularScopes == ["write:page:confluence"] && createPage.connectScope == "WRITE" && createPage.bodyRequired.contains("spaceId"))
        let spaces = try #require(Self.catalog.operations.first { $0.api == "v1" && $0.method == "GET" && $0.path == "/wiki/rest/api/space" })
        #expect(spaces.classicScopes == ["read:confluence-space.summary"])
        let search = try #require(Self.catalog.operations.first { $0.api == "v1" && $0.method == "GET" && $0.path == "/wiki/rest/api/search" })
        #expect(search.classicScopes == ["search:confluence"] && search.granularScopes == ["read:content-details:confluence"])
        let upload = try #require(Self.catalog.operations.first { $0.api == "v1" && $0.method == "POST" && $0.path == "/wiki/rest/api/content/{id}/child/attachment" })
        #expect(upload.classicScopes == ["write:confluence-file"] && upload.granularScopes == ["read:content-details:confluence", "write:attachment:confluence"])
        let v1 = Self.catalog.operations.filter { $0.api == "v1" }
        #expect(v1.filter { !$0.granularScopes.isEmpty }.count == 150, "147 from the 2024 copy of the v1 document, 3 from the equivalents table")
        let download = try #require(Self.catalog.operation(key: "v1 downloadAttatchment"))
        #expect(download.classicScopes == ["readonly:content.attachment:confluence"], "a classic scope of three parts stays classic")
        #expect(Self.catalog.operation(key: "v1 getGroupMembers")?.granularScopes == ["read:group:confluence", "read:user:confluence"])
        let closed = v1.filter { $0.classicScopes.isEmpty && $0.granularScopes.isEmpty }.map(\.operationId).sorted()
        #expect(closed == ["getModules", "getPrivacyUnsafeUserEmail", "getPrivacyUnsafeUserEmailBulk", "registerModules", "removeModules"])
    }

    typealias Parameter = OperationCatalog.Parameter
}
