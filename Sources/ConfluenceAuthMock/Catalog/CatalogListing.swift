import AuthMockFormats
import AuthMockHTTP

/// The operation catalog as the mock serves it: each operation with how it is answered (`state`),
/// for `GET /__admin/catalog` and docs/catalog.md.
struct CatalogListing {
    struct Line {
        let operation: OperationCatalog.Operation
        /// `stateful`, `generated` or `removed`.
        let state: String
    }

    let lines: [Line]

    init(router: Router<CatalogEntry>) {
        lines = router.routes.compactMap { route in
            guard let operation = route.handler.operation else { return nil }
            let removed = OperationLifecycle.of(operation)?.removedIn != nil
            return Line(operation: operation, state: removed ? "removed" : route.handler.generated ? "generated" : "stateful")
        }
    }

    var json: JSONValue {
        func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
        return ["operations": .array(lines.map { line in
            let operation = line.operation
            return .object(JSONObject([
                ("operationId", .string(operation.operationId)), ("api", .string(operation.api)), ("method", .string(operation.method)),
                ("path", .string(operation.path)), ("classicScopes", strings(operation.classicScopes)),
                ("granularScopes", strings(operation.granularScopes)), ("betaGranularScopes", .array(operation.betaGranularScopes.map(strings))),
                ("connectScope", .string(operation.connectScope)), ("permission", .string(operation.permission)), ("state", .string(line.state)),
            ]))
        })]
    }

    /// docs/catalog.md: what the catalog is, the hand-kept tables, one row per operation.
    var markdown: String {
        let counts = (v1: lines.filter { $0.operation.api == "v1" }.count, v2: lines.filter { $0.operation.api == "v2" }.count)
        var text = """
            # Operation catalog

            Every Confluence Cloud REST operation Atlassian documents: \(lines.count) (\(counts.v1) in v1, \(counts.v2) in v2), \
            each routed on every site: on the site's domain, under `/site/{name}` and through `/ex/confluence/{cloudId}`. \
            `scripts/generate-catalog.py` derives the data from Atlassian's OpenAPI documents (the script says where to get \
            them) into `Sources/ConfluenceAuthMock/Catalog/OperationCatalogData.swift`; this page is written from the same \
            data by `confluence-auth-mock catalog --markdown`, and `GET /__admin/catalog` answers it as JSON. The v1 \
            document of 2021 lists classic scopes only; v1 operations take their classic and granular scopes from a 2024 copy \
            of it, where Atlassian lists the granular ones (its `Beta` sets), and the few it leaves without granular scopes \
            take them by equivalence (below).

            State: `stateful` operations are answered from the mock's content model (\(lines.filter { $0.state == "stateful" }.count)); \
            `generated` ones, once credentials, scopes and permissions pass, with their documented success status and a body \
            generated from the documented response schema (\(lines.filter { $0.state == "generated" }.count)); `removed` ones \
            answer 410 to a Bearer token through the gateway under the `cloud-2026` profile (\(lines.filter { $0.state == "removed" }.count)).

            Permission: `site` is access to the site; `view`, `edit`, `delete` and `space-admin` are on the space the \
            operation's path names (by key or id, or through content it names), else access to the site; `site-admin` needs \
            `"siteAdmin": true` in the user's access to the site. A token holding `read:confluence-content.all` passes where \
            `read:confluence-content.summary` is asked. An operation with no OAuth scope is closed to OAuth tokens; a Connect \
            scope of `INACCESSIBLE` closes it to Connect apps.

            """
        text += Self.notes
        text += "\n## Operations\n\n| operation | API | method | path | classic scopes | granular scopes | Connect | permission | state |\n|---|---|---|---|---|---|---|---|---|\n"
        for line in lines {
            let operation = line.operation
            let deprecated = operation.deprecated ? " (deprecated)" : ""
            let beta = operation.betaGranularScopes.map { " or " + $0.joined(separator: " ") }.joined()
            text += "| `\(operation.operationId)`\(deprecated) | \(operation.api) | \(operation.method) | `\(operation.path)` | "
                + "\(operation.classicScopes.joined(separator: " ").orDash) | \((operation.granularScopes.joined(separator: " ") + beta).orDash) | "
                + "\(operation.connectScope) | \(operation.permission) | \(line.state) |\n"
        }
        return text
    }

    /// The generator's hand-kept tables and the lifecycle table, as sections.
    private static var notes: String {
        let notes = (try? JSONValue.parse(Array(OperationCatalog.notesJSON.utf8))) ?? .null
        func rows(_ key: String, _ columns: [String]) -> String {
            (notes[key]?.arrayValue ?? []).map { row in
                "| " + columns.map { column -> String in
                    let value = row[column]
                    if let list = value?.arrayValue { return list.compactMap(\.stringValue).joined(separator: " ").orDash }
                    return value?.stringValue ?? "–"
                }.joined(separator: " | ") + " |"
            }.joined(separator: "\n")
        }
        let lifecycle = OperationLifecycle.table.map {
            "| `\($0.operation)` | \($0.deprecatedSince) | \($0.removedIn?.rawValue ?? "–") | \($0.source) |"
        }.joined(separator: "\n")
        return """

            ## v1 operations given scopes by equivalence

            The newer v1 document leaves these without granular scopes; each takes the scopes named here.

            | operation | classic | granular | why |
            |---|---|---|---|
            \(rows("v1Equivalents", ["operationId", "classicScopes", "granularScopes", "why"]))

            ## Where the catalog and docs/reference.md differ

            | operation | field | catalog | reference | decision |
            |---|---|---|---|---|
            \(rows("scopeNotes", ["operationId", "field", "catalog", "reference", "decision"]))

            ## Permission overrides

            Where an operation's "Permissions required" text is missing, garbled, or read wrongly by the generator's rules.

            | operation | permission | why |
            |---|---|---|
            \(rows("permissionOverrides", ["operation", "permission", "why"]))

            ## Deprecated and removed operations

            Answers of these operations carry `Deprecation: DATE` and \
            `Link: <https://developer.atlassian.com/cloud/confluence/changelog/#CHANGE-864>; rel="deprecation"`. A removed one \
            answers a Bearer token (OAuth, service account, Forge) through the gateway under its profile with \
            `410 {"statusCode":410,"message":"com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed."}`, \
            after the scope gate; basic auth keeps being served.

            | operation | deprecated since | removed under | source |
            |---|---|---|---|
            \(lifecycle)

            """
    }
}

private extension String {
    var orDash: String { isEmpty ? "–" : self }
}

extension MockConfluence {
    /// The operation catalog as the mock serves it, as `GET /__admin/catalog` answers it:
    /// `{"operations":[{"operationId","api","method","path","classicScopes","granularScopes",
    /// "betaGranularScopes","connectScope","permission","state"}]}`.
    public static func catalogJSON() -> JSONValue { CatalogListing(router: CatalogRoutes.shared).json }

    /// docs/catalog.md: the catalog with its hand-kept tables, one row per operation.
    public static func catalogMarkdown() -> String { CatalogListing(router: CatalogRoutes.shared).markdown }
}
