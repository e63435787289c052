import AuthMockFormats
import AuthMockHTTP

extension AdminAPI {
    /// `GET /__admin/requests?method=&path=&principal=&client=&status=&decision=&limit=` → `{"requests":[…]}`, oldest first.
    var requests: RouteHandler {
        { request, _ in
            let (filter, problems) = JournalFilter.reading(request.queryValue)
            if let problem = problems.first { return Self.error(.badRequest, problem) }
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

extension JournalFilter {
    /// The filter a journal query asks for (`method`, `path`, `principal`, `client`, `status`,
    /// `decision`, `limit`), as `GET /__admin/requests` and the console's journal read it, and
    /// every problem with it in words. `value` gives a parameter's text, `nil` when it is absent.
    static func reading(_ value: (String) -> String?) -> (filter: JournalFilter, problems: [String]) {
        var filter = JournalFilter(method: value("method"), path: value("path"), principal: value("principal"), client: value("client"))
        var problems: [String] = []
        for (name, keyPath) in [("status", \JournalFilter.status), ("limit", \JournalFilter.limit)] {
            guard let text = value(name) else { continue }
            if let number = Int(text), number >= 0 { filter[keyPath: keyPath] = number } else {
                problems.append("query parameter \(name) must be a whole number, not \"\(text)\"")
            }
        }
        if let text = value("decision") {
            if let decision = AuthDecision(rawValue: text) { filter.decision = decision } else {
                problems.append("query parameter decision must be allowed or denied, not \"\(text)\"")
            }
        }
        return (filter, problems)
    }
}
