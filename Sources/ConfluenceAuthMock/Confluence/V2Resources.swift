import AuthMockFormats
import AuthMockHTTP

/// Confluence REST v2 reads under `/wiki/api/v2/` (writes come next).
extension SiteRoutes {
    /// `GET /wiki/api/v2/spaces[?keys=&ids=&cursor=&limit=]`.
    var v2Spaces: SiteRouteHandler {
        { request in
            let keys = Self.list(request.http, "keys"), ids = Self.list(request.http, "ids")
            let visible = request.spaces.filter {
                request.can(.view, in: $0.key) && (keys.isEmpty || keys.contains($0.key)) && (ids.isEmpty || ids.contains($0.id))
            }
            let page = ResultPage.v2(visible, request.http)
            return Self.v2List(page.items.map(Representations.v2Space), next: page.v2NextLink(path: "/wiki/api/v2/spaces", request: request.http), request: request)
        }
    }

    /// `GET /wiki/api/v2/spaces/{id}`.
    var v2Space: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let space = request.spaces.first(where: { $0.id == id }), request.can(.view, in: space.key) else {
                if request.spaces.contains(where: { $0.id == id }) { request.deny("no view permission on space \(id)") }
                return ConfluenceErrors.v2(.notFound, code: "NOT_FOUND", title: "Cannot find a space with id [\(id)]")
            }
            return .json(Representations.v2Space(space))
        }
    }

    /// `GET /wiki/api/v2/pages[?space-id=&title=&body-format=storage&cursor=&limit=]`.
    var v2Pages: SiteRouteHandler {
        { request in
            let spaceIDs = Self.list(request.http, "space-id"), title = request.http.queryValue("title")
            let withBody = request.http.queryValue("body-format") == "storage"
            let pages = request.content.pages(onSite: request.site.name).compactMap { stored -> (StoredPage, Space)? in
                guard let space = request.spaces.first(where: { $0.key == stored.spaceKey }), request.can(.view, in: space.key),
                      spaceIDs.isEmpty || spaceIDs.contains(space.id), title == nil || stored.title == title
                else { return nil }
                return (stored, space)
            }
            let page = ResultPage.v2(pages, request.http)
            return Self.v2List(page.items.map { Representations.v2Page($0.0, space: $0.1, withBody: withBody) },
                               next: page.v2NextLink(path: "/wiki/api/v2/pages", request: request.http), request: request)
        }
    }

    /// `GET /wiki/api/v2/pages/{id}[?body-format=storage]`.
    var v2Page: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let (stored, space) = request.visiblePage(id) else { return Self.v2PageNotFound(id) }
            return .json(Representations.v2Page(stored, space: space, withBody: request.http.queryValue("body-format") == "storage"))
        }
    }

    static func v2PageNotFound(_ id: String) -> HTTPResponse {
        ConfluenceErrors.v2(.notFound, code: "NOT_FOUND", title: "Cannot find a page with id [\(id)]")
    }

    /// A comma-separated (or repeated) filter parameter.
    static func list(_ request: HTTPRequest, _ name: String) -> [String] {
        request.queryValues(name).flatMap { $0.split(separator: ",").map(String.init) }
    }

    /// v2's list envelope and `Link` header (docs/reference.md §3.5: `Link: <…cursor=…>; rel="next"`).
    static func v2List(_ results: [JSONValue], next: String?, request: SiteRequest) -> HTTPResponse {
        let base = Representations.base(request)
        var links = JSONObject()
        if let next { links["next"] = .string(next) }
        links["base"] = .string(base)
        var response = HTTPResponse.json(["results": .array(results), "_links": .object(links)])
        var header = [String]()
        if let next { header.append("<\(next)>; rel=\"next\"") }
        header.append("<\(base)>; rel=\"base\"")
        response.headers.set("Link", header.joined(separator: ", "))
        return response
    }
}
