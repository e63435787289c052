import AuthMockFormats
import AuthMockHTTP

/// Confluence REST v2 page writes.
extension SiteRoutes {
    static let v2Forbidden = ConfluenceErrors.v2(.forbidden, code: "FORBIDDEN", title: "Forbidden")

    /// `POST /wiki/api/v2/pages` with `{"spaceId","title","body":{"representation":"storage","value"}}`.
    var v2CreatePage: SiteRouteHandler {
        { request in
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            guard let spaceID = body["spaceId"]?.stringValue ?? body["spaceId"]?.intValue.map(String.init),
                  let space = request.spaces.first(where: { $0.id == spaceID })
            else { return ConfluenceErrors.v2(.badRequest, code: "INVALID_REQUEST_PARAMETER", title: "spaceId is required and must name a space") }
            guard let title = body["title"]?.stringValue, !title.isEmpty else {
                return ConfluenceErrors.v2(.badRequest, code: "INVALID_REQUEST_PARAMETER", title: "title is required")
            }
            guard request.mayAct(in: space.key) else {
                request.deny("no \(request.permissionName) permission on space \(space.key)")
                return Self.v2Forbidden
            }
            let text = body["body"]?["value"]?.stringValue ?? ""
            guard let created = request.createPage(inSpace: space.key, title: title, body: text) else {
                return ConfluenceErrors.v2(.badRequest, code: "INVALID_REQUEST_PARAMETER", title: "A page with this title already exists in this space")
            }
            return .json(Representations.v2Page(created, space: space, withBody: true))
        }
    }

    /// `PUT /wiki/api/v2/pages/{id}` with `{"id","status","title","body":{…},"version":{"number":N+1}}`.
    var v2UpdatePage: SiteRouteHandler {
        { request in
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            let id = request.parameters["id"] ?? ""
            let found = request.pageToChange(id, notFound: Self.v2PageNotFound(id), forbidden: Self.v2Forbidden)
            guard case .success(let (current, space)) = found else { return found.failureResponse }
            guard let version = body["version"]?["number"]?.intValue else {
                return ConfluenceErrors.v2(.badRequest, code: "INVALID_REQUEST_PARAMETER", title: "version.number is required")
            }
            func conflict(_ currentVersion: Int) -> HTTPResponse {
                ConfluenceErrors.v2(.conflict, code: "CONFLICT", title: "Version must be incremented on update. Current version is: \(currentVersion)")
            }
            guard version == current.version + 1 else { return conflict(current.version) }
            let title = body["title"]?.stringValue ?? current.title
            let text = body["body"]?["value"]?.stringValue ?? current.body
            switch request.state.changeContent({ content, _ in content.update(onSite: request.site.name, id: id, from: current.version, title: title, body: text) }) {
            case .updated(let updated): return .json(Representations.v2Page(updated, space: space, withBody: true))
            case .missing: return Self.v2PageNotFound(id)
            case .conflict(let currentVersion): return conflict(currentVersion)
            }
        }
    }

    /// `DELETE /wiki/api/v2/pages/{id}` → 204.
    var v2DeletePage: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            let found = request.pageToChange(id, notFound: Self.v2PageNotFound(id), forbidden: Self.v2Forbidden)
            guard case .success = found else { return found.failureResponse }
            request.state.changeContent { content, _ in content.delete(onSite: request.site.name, id: id) }
            return HTTPResponse(status: .noContent)
        }
    }
}
