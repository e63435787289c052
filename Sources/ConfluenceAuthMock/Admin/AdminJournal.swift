import AuthMockFormats
import AuthMockHTTP

extension AdminAPI {
    /// `GET /__admin/requests?method=&path=&principal=&client=&status=&decision=&limit=` → `{"requests":[…]}`, oldest first.
    var requests: RouteHandler {
        { request, _ in
            var filter = JournalFilter(method: request.queryValue("method"), path: request.queryValue("path"),
                                       principal: request.queryValue("principal"), client: request.queryValue("client"))
            for (name, keyPath) in [("status", \JournalFilter.status), ("limit", \JournalFilter.limit)] {
                guard let text = request.queryValue(name) else { continue }
                guard let number = Int(text), number >= 0 else {
                    return Self.error(.badRequest, "query parameter \(name) must be a whole number, not \"\(text)\"")
                }
                filter[keyPath: keyPath] = number
            }
            if let text = request.queryValue("decision") {
                guard let decision = AuthDecision(rawValue: text) else {
                    return Self.error(.badRequest, "query parameter decision must be allowed or denied, not \"\(text)\"")
                }
                filter.decision = decision
            }
            return .json(["requests": .array(state.requests(filter).map(\.json))])
        }
    }

    /// `DELETE /__admin/requests` → 204.
    var clearRequests: RouteHandler {
        { _, _ in
            state.clearRequests()
            return HTTPResponse(status: .noContent)
        }
    }
}
