import AuthMockHTTP

extension AdminAPI {
    /// `GET /__admin/catalog`: every operation with its scopes, Connect scope, permission and state.
    var catalog: RouteHandler {
        { _, _ in .json(CatalogListing(router: CatalogRoutes.shared).json) }
    }

    /// `GET /__admin/scopes?client=ID` (or `principal=ACCOUNT_ID`; optional `since=ISO-8601`): the
    /// smallest scope sets that would have allowed every request the journal holds from that caller.
    var scopes: RouteHandler {
        { request, _ in
            let client = request.queryValue("client"), principal = request.queryValue("principal")
            guard (client == nil) != (principal == nil) else { return Self.error(.badRequest, "give one of client=ID or principal=ACCOUNT_ID") }
            var since: Double?
            if let text = request.queryValue("since") {
                guard let parsed = ISO8601.parse(text) else { return Self.error(.badRequest, "since must be an ISO-8601 time such as 2026-01-01T00:00:00Z, not \"\(text)\"") }
                since = parsed
            }
            let filter = client.map { JournalFilter(client: $0) } ?? JournalFilter(principal: principal)
            return .json(state.scopeAdvice(filter, since: since).json)
        }
    }
}
