import AuthMockFormats
import AuthMockHTTP

/// What Confluence checks of a request once its credentials passed, from the catalog: the path
/// parameters' types (v2 ids are integers), the required query parameters and the types of those
/// given, and a JSON body with its required members. A failure is a 400 in the API's own shape.
enum RequestValidation {
    /// Query parameters the documents mark required that Confluence does not enforce and clients
    /// routinely leave out, by operation key. Atlassian's current v1 reference marks `minorEdit`
    /// required on attachment uploads; clients (atlassian-python-api among them) send it only
    /// sometimes, and Confluence accepts them.
    static let unenforcedQuery: [String: [String]] = [
        "v1 createAttachment": ["minorEdit"],
        "v1 createOrUpdateAttachments": ["minorEdit"],
        "v1 updateAttachmentData": ["minorEdit"],
    ]

    /// Path parameters whose documented type is wrong, by operation key: v2 attachment ids carry an
    /// `att` prefix (`att123`, as `getAttachmentById` documents them), which the delete documents
    /// as an integer. Both forms are taken.
    static let pathTypeOverrides: [String: [String: String]] = ["v2 deleteAttachment": ["id": "string"]]

    /// What is wrong with the request, in words, or `nil` when it is valid.
    /// Every request of a catalog operation comes through here, so the common case (a few query
    /// parameters, none required) walks the request's query, not the operation's long list, and
    /// the override tables are read only for a request that breaks a rule.
    static func problem(_ operation: OperationCatalog.Operation, _ request: HTTPRequest, parameters: RouteParameters) -> String? {
        for parameter in operation.pathParameters {
            if let value = parameters[parameter.name], let problem = typeProblem(value, parameter, in: "path"),
               pathTypeOverrides[operation.key]?[parameter.name] == nil { return problem }
        }
        for item in request.query {
            guard let parameter = operation.queryParameters.first(where: { $0.name == item.name }) else { continue }
            if let problem = typeProblem(item.value, parameter, in: "query") { return problem }
        }
        for name in operation.requiredQuery where !request.query.contains(where: { $0.name == name }) {
            if !(unenforcedQuery[operation.key]?.contains(name) ?? false) { return "The query parameter '\(name)' is required" }
        }
        guard !operation.bodyRequired.isEmpty else { return nil }
        guard let body = try? request.jsonBody(), let object = body.objectValue else { return "The request body must be a JSON object" }
        if let missing = operation.bodyRequired.first(where: { !object.contains($0) }) { return "The request body lacks the required field '\(missing)'" }
        return nil
    }

    private static func typeProblem(_ value: String, _ parameter: OperationCatalog.Parameter, in place: String) -> String? {
        let valid: Bool
        switch parameter.type {
        case "integer": valid = !value.isEmpty && value.utf8.count <= 19 && Int64(value) != nil
        case "number": valid = Double(value) != nil
        case "boolean": valid = value == "true" || value == "false"
        default: valid = true
        }
        return valid ? nil : "The \(place) parameter '\(parameter.name)' must be \(parameter.type == "integer" ? "an integer" : "a \(parameter.type)"), not '\(value)'"
    }

    /// The 400 for `problem` in the API's shape.
    static func badRequest(_ problem: String, surface: APISurface) -> HTTPResponse {
        surface == .v2 ? ConfluenceErrors.v2(.badRequest, code: "INVALID_REQUEST_PARAMETER", title: problem)
                       : ConfluenceErrors.v1(.badRequest, problem, data: JSONObject([("authorized", true), ("valid", false),
                                                                                      ("errors", .array([.object(JSONObject([("message", .object(JSONObject([("translation", .string(problem))])))]))])),
                                                                                      ("successful", false)]))
    }
}
