import AuthMockFormats
import AuthMockHTTP

/// Confluence REST v1 reads under `/wiki/rest/api/` (writes come next).
extension SiteRoutes {
    /// `GET /wiki/rest/api/space[?spaceKey=…&start=&limit=]`: the spaces the caller may view.
    var v1Spaces: SiteRouteHandler {
        { request in
            let keys = request.http.queryValues("spaceKey")
            let visible = request.spaces.filter { request.can(.view, in: $0.key) && (keys.isEmpty || keys.contains($0.key)) }
            let base = Representations.base(request)
            let page = ResultPage.v1(visible, request.http, maximum: 500)
            return .json(Representations.v1List(page.items.map { Representations.v1Space($0, base: base) }, start: page.start,
                                                limit: page.limit, base: base, selfPath: "/rest/api/space"))
        }
    }

    /// `GET /wiki/rest/api/space/{key}`. A space the caller may not view is as absent as one that does not exist.
    var v1Space: SiteRouteHandler {
        { request in
            let key = request.parameters["spaceKey"] ?? ""
            guard let space = request.spaces.first(where: { $0.key == key }), request.can(.view, in: key) else {
                if request.spaces.contains(where: { $0.key == key }) { request.deny("no view permission on space \(key)") }
                return ConfluenceErrors.v1(.notFound, #"org.springframework.web.server.ResponseStatusException: 404 NOT_FOUND "No space found with key : \#(key)""#)
            }
            return .json(Representations.v1Space(space, base: Representations.base(request)))
        }
    }

    /// `GET /wiki/rest/api/content?spaceKey=&title=&type=page&expand=body.storage`: pages the caller may view.
    var v1ContentList: SiteRouteHandler {
        { request in
            let http = request.http
            let type = http.queryValue("type") ?? "page"
            let spaceKey = http.queryValue("spaceKey"), title = http.queryValue("title")
            let pages = type != "page" ? [] : request.content.pages(onSite: request.site.name, inSpace: spaceKey)
                .filter { request.can(.view, in: $0.spaceKey) && (title == nil || $0.title == title) }
            let base = Representations.base(request)
            let withBody = Self.expands(http, "body.storage")
            let page = ResultPage.v1(pages, http)
            let results = page.items.compactMap { stored in
                request.spaces.first { $0.key == stored.spaceKey }.map { Representations.v1Content(stored, space: $0, base: base, withBody: withBody) }
            }
            return .json(Representations.v1List(results, start: page.start, limit: page.limit, base: base, selfPath: "/rest/api/content"))
        }
    }

    /// `GET /wiki/rest/api/content/{id}[?expand=body.storage,version]`.
    var v1Content: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let (stored, space) = request.visiblePage(id) else { return Self.v1ContentNotFound(id) }
            return .json(Representations.v1Content(stored, space: space, base: Representations.base(request), withBody: Self.expands(request.http, "body.storage")))
        }
    }

    /// `GET /wiki/rest/api/content/{id}/history`: the version clients read before an update
    /// (atlassian-python-api's `update_page` does).
    var v1ContentHistory: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let (stored, _) = request.visiblePage(id) else { return Self.v1ContentNotFound(id) }
            let when = JSONValue.string(ISO8601.format(stored.createdAt, milliseconds: true))
            return .json(.object(JSONObject([
                ("latest", true), ("createdDate", when),
                ("lastUpdated", .object(JSONObject([("number", .int(stored.version)), ("when", when), ("minorEdit", false)]))),
                ("_links", .object(JSONObject([("self", .string("\(Representations.base(request))/rest/api/content/\(id)/history"))]))),
            ])))
        }
    }

    /// `GET /wiki/rest/api/user/current`.
    var v1CurrentUser: SiteRouteHandler {
        { request in
            guard case .user(let user) = request.caller else { return .json(Representations.v1Anonymous) }
            return .json(Representations.v1User(user, base: Representations.base(request)))
        }
    }

    static func v1ContentNotFound(_ id: String) -> HTTPResponse {
        ConfluenceErrors.v1(.notFound, "com.atlassian.confluence.api.service.exceptions.NotFoundException: No content found with id: ContentId{id=\(id)}")
    }

    /// `true` when `expand` (comma-separated, repeatable) names `field` or something under it.
    static func expands(_ request: HTTPRequest, _ field: String) -> Bool {
        request.queryValues("expand").flatMap { $0.split(separator: ",") }.contains { $0 == field || $0.hasPrefix(field + ".") }
    }
}
