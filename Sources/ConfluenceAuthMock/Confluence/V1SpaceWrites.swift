import AuthMockFormats
import AuthMockHTTP

/// Confluence REST v1 writes: they change the running content, which `POST /__admin/reset` restores.
extension SiteRoutes {
    static func v1PermissionDenied(_ what: String) -> HTTPResponse {
        ConfluenceErrors.v1(.forbidden, "com.atlassian.confluence.api.service.exceptions.PermissionException: \(what)", data: ConfluenceErrors.permissionData)
    }

    /// `PUT /wiki/rest/api/space/{key}` with `{"name"}`: space admins only (docs/reference.md §3.4).
    var v1UpdateSpace: SiteRouteHandler {
        { request in
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            let key = request.parameters["spaceKey"] ?? ""
            guard request.spaces.contains(where: { $0.key == key }), request.can(.view, in: key) else {
                return Self.v1SpaceNotFound(key)
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
            guard let renamed else { return Self.v1SpaceNotFound(key) }
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
