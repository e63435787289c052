import AuthMockFormats
import AuthMockHTTP

/// Confluence REST v1 writes: they change the running content, which `POST /__admin/reset` restores.
extension SiteRoutes {
    static func v1PermissionDenied(_ what: String) -> HTTPResponse {
        ConfluenceErrors.v1(.forbidden, "com.atlassian.confluence.api.service.exceptions.PermissionException: \(what)", data: ConfluenceErrors.permissionData)
    }

    /// `POST /wiki/rest/api/content` with `{"type":"page","title","space":{"key"},"body":{"storage":{"value","representation"}}}`.
    var v1CreateContent: SiteRouteHandler {
        { request in
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            let type = body["type"]?.stringValue ?? "page"
            guard type == "page" else { return ConfluenceErrors.v1(.badRequest, "Only content of type page can be created, not \(type)") }
            guard let key = body["space"]?["key"]?.stringValue, let space = request.spaces.first(where: { $0.key == key }) else {
                return ConfluenceErrors.v1(.badRequest, "A space key is required: {\"space\":{\"key\":…}}")
            }
            guard let title = body["title"]?.stringValue, !title.isEmpty else { return ConfluenceErrors.v1(.badRequest, "Title is required") }
            guard request.mayAct(in: key) else {
                request.deny("no \(request.permissionName) permission on space \(key)")
                return Self.v1PermissionDenied("Could not create content with type page")
            }
            let text = body["body"]?["storage"]?["value"]?.stringValue ?? ""
            guard let created = request.createPage(inSpace: key, title: title, body: text) else {
                return ConfluenceErrors.v1(.badRequest, "A page with this title already exists: A page already exists with the same TITLE in this space")
            }
            return .json(Representations.v1Content(created, space: space, base: Representations.base(request), withBody: true))
        }
    }

    /// `PUT /wiki/rest/api/content/{id}` with `{"version":{"number":N+1},"title","type","body":{"storage":{"value"}}}`.
    var v1UpdateContent: SiteRouteHandler {
        { request in
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            let id = request.parameters["id"] ?? ""
            let found = request.pageToChange(id, notFound: Self.v1ContentNotFound(id), forbidden: Self.v1PermissionDenied("Could not update content with id \(id)"))
            guard case .success(let (current, space)) = found else { return found.failureResponse }
            guard let version = body["version"]?["number"]?.intValue else { return ConfluenceErrors.v1(.badRequest, "Version number is required") }
            func conflict(_ currentVersion: Int) -> HTTPResponse {
                ConfluenceErrors.v1(.conflict, "com.atlassian.confluence.api.service.exceptions.ConflictException: Version must be incremented on update. Current version is: \(currentVersion)")
            }
            guard version == current.version + 1 else { return conflict(current.version) }
            let title = body["title"]?.stringValue ?? current.title
            guard !title.isEmpty else { return ConfluenceErrors.v1(.badRequest, "Title is required") }
            let text = body["body"]?["storage"]?["value"]?.stringValue ?? current.body
            switch request.state.changeContent({ content, _ in content.update(onSite: request.site.name, id: id, from: current.version, title: title, body: text) }) {
            case .updated(let updated): return .json(Representations.v1Content(updated, space: space, base: Representations.base(request), withBody: true))
            case .missing: return Self.v1ContentNotFound(id)
            case .conflict(let currentVersion): return conflict(currentVersion)
            }
        }
    }

    /// `DELETE /wiki/rest/api/content/{id}` → 204.
    var v1DeleteContent: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            let found = request.pageToChange(id, notFound: Self.v1ContentNotFound(id), forbidden: Self.v1PermissionDenied("Could not delete content with id \(id)"))
            guard case .success = found else { return found.failureResponse }
            request.state.changeContent { content, _ in content.delete(onSite: request.site.name, id: id) }
            return HTTPResponse(status: .noContent)
        }
    }

    /// `PUT /wiki/rest/api/space/{key}` with `{"name"}`: space admins only (docs/reference.md §3.4).
    var v1UpdateSpace: SiteRouteHandler {
        { request in
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            let key = request.parameters["spaceKey"] ?? ""
            guard request.spaces.contains(where: { $0.key == key }), request.can(.view, in: key) else {
                return ConfluenceErrors.v1(.notFound, #"org.springframework.web.server.ResponseStatusException: 404 NOT_FOUND "No space found with key : \#(key)""#)
            }
            guard request.mayAct(in: key) else {
                request.deny("no \(request.permissionName) permission on space \(key)")
                return Self.v1PermissionDenied("Could not update space with key \(key)")
            }
            guard let name = body["name"]?.stringValue, !name.isEmpty else { return ConfluenceErrors.v1(.badRequest, "Space name is required") }
            // The renamed space is read back in the same step as the write: the request's snapshot predates it.
            let renamed = request.state.changeContent { content, _ in
                content.rename(space: key, onSite: request.site.name, to: name)
                return content.space(key, of: request.site)
            }
            guard let renamed else { return ConfluenceErrors.v1(.notFound, "No space found with key : \(key)") }
            return .json(Representations.v1Space(renamed, base: Representations.base(request)))
        }
    }
}

extension Result where Failure == HTTPResponseError {
    /// The error response of a failed result (callers check for failure first).
    var failureResponse: HTTPResponse {
        if case .failure(let error) = self { return error.response }
        return HTTPResponse(status: .internalServerError)
    }
}
