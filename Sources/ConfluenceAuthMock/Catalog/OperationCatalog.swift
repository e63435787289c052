import AuthMockFormats

/// Every Confluence Cloud REST operation Atlassian documents (docs/catalog.md): what each needs
/// (scopes, Connect scope, permission), takes (parameters, required body fields) and answers
/// (status, content type, schema), derived from Atlassian's OpenAPI documents by
/// scripts/generate-catalog.py and embedded as data. Read once, on first use.
struct OperationCatalog: Sendable {
    struct Parameter: Sendable, Equatable {
        let name: String
        /// The document's type: `string`, `integer`, `boolean`, `number`, or `array<…>`.
        let type: String
        let required: Bool
    }

    /// One operation. A class, immutable: routes, journal entries and the listing share it.
    final class Operation: Sendable, Equatable {
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
        /// The success answer's media type; `nil` for an answer without a body.
        let contentType: String?
        /// The success answer's JSON schema, `$ref`s pointing into `OperationCatalog.schemas`.
        let responseSchema: JSONValue?
        let deprecated: Bool
        /// How the journal, the admin API and the scope advisor name it: `v1 getSpaces`.
        let key: String
        /// The names of the query parameters documented as required.
        let requiredQuery: [String]

        init(operationId: String, api: String, method: String, path: String, classicScopes: [String], granularScopes: [String],
             betaGranularScopes: [[String]], connectScope: String, permission: String, pathParameters: [Parameter], queryParameters: [Parameter],
             bodyRequired: [String], successStatus: Int, contentType: String?, responseSchema: JSONValue?, deprecated: Bool) {
            (self.operationId, self.api, self.method, self.path) = (operationId, api, method, path)
            (self.classicScopes, self.granularScopes, self.betaGranularScopes) = (classicScopes, granularScopes, betaGranularScopes)
            (self.connectScope, self.permission, self.pathParameters, self.queryParameters) = (connectScope, permission, pathParameters, queryParameters)
            (self.bodyRequired, self.successStatus, self.contentType, self.responseSchema) = (bodyRequired, successStatus, contentType, responseSchema)
            self.deprecated = deprecated
            key = "\(api) \(operationId)"
            requiredQuery = queryParameters.filter(\.required).map(\.name)
        }

        static func == (lhs: Operation, rhs: Operation) -> Bool { lhs.key == rhs.key }

        /// What the pipeline's gate demands of a credential for this operation.
        var requirement: RouteRequirement {
            let spacePermission: [String: SpacePermission] = ["view": .view, "edit": .edit, "delete": .delete, "space-admin": .admin]
            return RouteRequirement(classicScopes: classicScopes, granularScopes: granularScopes, betaGranularScopes: betaGranularScopes,
                                    connectScope: ConnectScope(rawValue: connectScope), closedToConnect: connectScope == "INACCESSIBLE",
                                    closedToOAuth: classicScopes.isEmpty && granularScopes.isEmpty && betaGranularScopes.isEmpty,
                                    permission: spacePermission[permission], siteAdmin: permission == "site-admin")
        }
    }

    let operations: [Operation]
    /// The operations by key, for lookups per journal entry (the scope advisor reads thousands).
    private let byKey: [String: Operation]

    /// The embedded catalog. Empty only if the generated data were broken, which a test rules out.
    static let shared = OperationCatalog(json: json)

    /// The response schemas by API, then by name: what a `$ref` of `#/components/schemas/NAME` means.
    static let schemas: [String: JSONObject] = {
        guard let parsed = try? JSONValue.parse(Array(schemasJSON.utf8)), let apis = parsed.objectValue else { return [:] }
        return Dictionary(uniqueKeysWithValues: apis.members.compactMap { name, value in value.objectValue.map { (name, $0) } })
    }()

    init(json text: String) {
        let parsed = try? JSONValue.parse(Array(text.utf8))
        operations = parsed?.arrayValue?.compactMap(Self.operation) ?? []
        byKey = Dictionary(operations.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The operation `key` names (`v2 getPageById`).
    func operation(key: String) -> Operation? { byKey[key] }

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
        let schema = value["responseSchema"].flatMap { $0 == .null ? nil : $0 }
        return Operation(operationId: operationId, api: api, method: method, path: path, classicScopes: strings("classicScopes"),
                         granularScopes: strings("granularScopes"),
                         betaGranularScopes: value["betaGranularScopes"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.stringValue) ?? [] } ?? [],
                         connectScope: connect, permission: permission, pathParameters: parameters("pathParameters", required: true),
                         queryParameters: parameters("queryParameters", required: nil), bodyRequired: strings("bodyRequired"),
                         successStatus: value["successStatus"]?.intValue ?? 200, contentType: value["contentType"]?.stringValue,
                         responseSchema: schema, deprecated: value["deprecated"]?.boolValue ?? false)
    }
}
