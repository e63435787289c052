import AuthMockFormats
import AuthMockHTTP

/// Confluence REST v2: spaces and list envelopes (content is in V2Content.swift).
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
                return Self.v2SpaceNotFound(id)
            }
            return .json(Representations.v2Space(space))
        }
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
