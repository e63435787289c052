import AuthMockHTTP

/// Deprecated and removed operations (docs/catalog.md "Deprecated and removed operations"): Atlassian
/// deprecates v1 operations that have v2 equivalents (changelog CHANGE-864) and removes them one by
/// one. The list moves, so it is data, each line with the report it rests on; a line is added only
/// with a source.
struct OperationLifecycle: Sendable {
    /// The operation's key (`v1 getSpaces`).
    let operation: String
    /// The `Deprecation` header's value: the date Atlassian deprecated it.
    let deprecatedSince: String
    /// The profile under which a Bearer token through the gateway gets 410 (`cloud-2026`; under
    /// `cloud-2021` everything answers); `nil` while it answers everywhere.
    let removedIn: Scenario.Profile?
    let source: String

    static let table: [OperationLifecycle] = [
        OperationLifecycle(operation: "v1 getSpaces", deprecatedSince: "Wed, 1 Mar 2023 00:00:00 GMT", removedIn: .cloud2026,
                           source: "410 through the gateway with an OAuth token, 200 with basic auth on the site: atlassian-python-api issue #1560, Spenhouet/confluence-markdown-exporter issue #207"),
        OperationLifecycle(operation: "v1 createContent", deprecatedSince: "Wed, 1 Mar 2023 00:00:00 GMT", removedIn: nil,
                           source: "one report of the same 410, credential unknown (sooperset/mcp-atlassian issue #474): kept answering, with deprecation headers"),
    ]

    static func of(_ operation: OperationCatalog.Operation?) -> OperationLifecycle? {
        guard let key = operation?.key else { return nil }
        return table.first { $0.operation == key }
    }

    /// Confluence's answer to a removed operation.
    static let gone = ConfluenceErrors.v1(HTTPStatus(410), "com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed.")

    /// Whether a request gets `gone`: the operation is removed under the scenario's profile, and the
    /// request came through the gateway with a Bearer token (OAuth, service account, Forge). Basic
    /// auth keeps being served.
    func isRemoved(for profile: Scenario.Profile, door: SiteAddress.Door, credential: Credential) -> Bool {
        removedIn == profile && door == .gateway && credential.bearerToken != nil
    }

    /// The headers a deprecated operation's answers carry.
    func addHeaders(to response: inout HTTPResponse) {
        response.headers.set("Deprecation", deprecatedSince)
        response.headers.set("Link", "<https://developer.atlassian.com/cloud/confluence/changelog/#CHANGE-864>; rel=\"deprecation\"")
    }
}
