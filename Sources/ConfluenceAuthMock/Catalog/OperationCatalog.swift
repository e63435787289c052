import AuthMockFormats

/// Every Confluence Cloud REST operation Atlassian documents (docs/catalog.md): what each needs
/// (scopes, Connect scope, permission) and takes (parameters, required body fields), derived from
/// Atlassian's OpenAPI documents by scripts/generate-catalog.py and embedded as data. Read once, on
/// first use.
struct OperationCatalog: Sendable {
    struct Parameter: Sendable, Equatable {
        let name: String
        /// The document's type: `string`, `integer`, `boolean`, `number`, or `array<…>`.
        let type: String
        let required: Bool
    }

    struct Operation: Sendable, Equatable {
        let operationId: String
        /// `v1` or `v2`: both APIs have a few operations of the same id (`getSpaces`).
        let api: String
        let method: String
        /// The full path template (`/wiki/api/v2/pages/{id}`).
        let path: String
        let classicScopes: [String]
        let granularScopes: [String]
        let betaGranularScopes: [[String]]
        /// `READ`, `WRITE`, `DELETE`, `SPACE_ADMIN`, `ADMIN`, `ACT_AS_USER`, `ACCESS_EMAIL_ADDRESSES`,
        /// `NONE`, or `INACCESSIBLE` (no Connect app may call it).
        let connectScope: String
        /// `site`, `view`, `edit`, `delete`, `space-admin` or `site-admin`.
        let permission: String
        let pathParameters: [Parameter]
        let queryParameters: [Parameter]
        let bodyRequired: [String]
        let successStatus: Int
        let deprecated: Bool
    }

    let operations: [Operation]

    /// The embedded catalog. Empty only if the generated data were broken, which a test rules out.
    static let shared = OperationCatalog(json: json)

    init(json text: String) {
        let parsed = try? JSONValue.parse(Array(text.utf8))
        operations = parsed?.arrayValue?.compactMap(Self.operation) ?? []
    }

    private static func operation(_ value: JSONValue) -> Operation? {
        func strings(_ key: String) -> [String] { value[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        func parameters(_ key: String, required: Bool?) -> [Parameter] {
            (value[key]?.arrayValue ?? []).compactMap { entry in
                guard let name = entry["name"]?.stringValue, let type = entry["type"]?.stringValue else { return nil }
                return Parameter(name: name, type: type, required: required ?? (entry["required"]?.boolValue ?? false))
            }
        }
        guard let operationId = value["operationId"]?.stringValue, let api = value["api"]?.stringValue, let method = value["method"]?.stringValue,
              let path = value["path"]?.stringValue, let connect = value["connectScope"]?.stringValue, let permission = value["permission"]?.stringValue
        else { return nil }
        return Operation(operationId: operationId, api: api, method: method, path: path, classicScopes: strings("classicScopes"),
                         granularScopes: strings("granularScopes"),
                         betaGranularScopes: value["betaGranularScopes"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.stringValue) ?? [] } ?? [],
                         connectScope: connect, permission: permission, pathParameters: parameters("pathParameters", required: true),
                         queryParameters: parameters("queryParameters", required: nil), bodyRequired: strings("bodyRequired"),
                         successStatus: value["successStatus"]?.intValue ?? 200, deprecated: value["deprecated"]?.boolValue ?? false)
    }
}
