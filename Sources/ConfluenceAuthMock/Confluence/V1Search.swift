import AuthMockFormats
import AuthMockHTTP

extension SiteRoutes {
    /// `GET /wiki/rest/api/search?cql=…`: pages the caller may view that match (see `CQLQuery`).
    var v1Search: SiteRouteHandler {
        { request in
            let text = request.http.queryValue("cql") ?? ""
            let query: CQLQuery
            do throws(CQLQuery.ParseError) {
                query = try CQLQuery.parse(text)
            } catch {
                return ConfluenceErrors.v1(.badRequest, error.message)
            }
            let spaces = request.spaces
            let pages = request.content.items(onSite: request.site.name, kind: nil).filter { request.can(.view, in: $0.spaceKey) && query.matches($0) }
            let base = Representations.base(request)
            let page = ResultPage.v1(pages, request.http)
            let results: [JSONValue] = page.items.compactMap { stored in
                guard let space = spaces.first(where: { $0.key == stored.spaceKey }) else { return nil }
                return .object(JSONObject([
                    ("content", request.v1JSON(stored, space: space)),
                    ("title", .string(stored.title)), ("excerpt", ""), ("url", .string("/spaces/\(space.key)/pages/\(stored.id)")),
                    ("resultGlobalContainer", .object(JSONObject([("title", .string(space.name)), ("displayUrl", .string("/spaces/\(space.key)"))]))),
                    ("entityType", "content"), ("lastModified", .string(ISO8601.format(stored.createdAt, milliseconds: true))),
                ]))
            }
            var list = Representations.v1List(results, start: page.start, limit: page.limit, base: base, selfPath: "/rest/api/search")
            if case .object(var object) = list {
                object["totalSize"] = .int(pages.count)
                object["cqlQuery"] = .string(text)
                list = .object(object)
            }
            return .json(list)
        }
    }

    /// `GET /wiki/rest/api/user?accountId=…`.
    var v1User: SiteRouteHandler {
        { request in
            let accountId = request.http.queryValue("accountId") ?? ""
            guard let user = request.scenario.user(accountId: accountId) else {
                return ConfluenceErrors.v1(.notFound, "No user found with accountId: \(accountId)")
            }
            return .json(Representations.v1User(user, base: Representations.base(request)))
        }
    }
}
