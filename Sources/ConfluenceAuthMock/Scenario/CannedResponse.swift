import AuthMockFormats
import AuthMockHTTP

extension Scenario {
    /// A canned response.
    public struct CannedResponse: Sendable, Equatable {
        public var status: Int
        public var headers: [String: String]
        public var json: JSONValue?
        public var body: String?

        public init(status: Int, headers: [String: String] = [:], json: JSONValue? = nil, body: String? = nil) {
            self.status = status
            self.headers = headers
            self.json = json
            self.body = body
        }

        static let keys = ["status", "headers", "json", "body"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            let status = object.required("status")?.int.flatMap { status -> Int? in
                guard (100...599).contains(status) else {
                    object.optional("status")?.report("status \(status) is not an HTTP status (100–599)")
                    return nil
                }
                return status
            }
            let headers = object.optional("headers")?.map?.reduce(into: [String: String]()) { $0[$1.key] = $1.node.string } ?? [:]
            if object.has("json") && object.has("body") { node.report("give \"json\" or \"body\", not both") }
            let body = object.optional("body")?.string
            guard let status else { return nil }
            self.init(status: status, headers: headers, json: object.optional("json")?.value, body: body)
        }

        var jsonValue: JSONValue {
            var object = JSONObject([("status", .int(status))])
            if !headers.isEmpty { object["headers"] = .object(JSONObject(headers.keys.sorted().map { ($0, .string(headers[$0]!)) })) }
            if let json { object["json"] = json }
            if let body { object["body"] = .string(body) }
            return .object(object)
        }
    }
}

extension CannedResponse {
    /// The response as sent: `json` as `application/json`, else `body` as text, with the headers given.
    var httpResponse: HTTPResponse {
        var response: HTTPResponse
        if let json {
            response = .json(json, status: HTTPStatus(status))
        } else {
            response = HTTPResponse(status: HTTPStatus(status), body: Array((body ?? "").utf8))
            if body != nil { response.headers.set("Content-Type", "text/plain;charset=UTF-8") }
        }
        for name in headers.keys.sorted() { response.headers.set(name, headers[name]!) }
        return response
    }
}
