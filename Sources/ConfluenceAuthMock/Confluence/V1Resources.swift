import AuthMockFormats
import AuthMockHTTP

/// Confluence REST v1: spaces and users (content is in V1Content.swift).
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
                return Self.v1SpaceNotFound(key)
            }
            return .json(Representations.v1Space(space, base: Representations.base(request)))
        }
    }

    /// Confluence's v1 answer for a space that does not exist (or that the caller may not view).
    static func v1SpaceNotFound(_ key: String) -> HTTPResponse {
        ConfluenceErrors.v1(.notFound, #"org.springframework.web.server.ResponseStatusException: 404 NOT_FOUND "No space found with key : \#(key)""#)
    }

    /// `GET /wiki/rest/api/user/current`.
    var v1CurrentUser: SiteRouteHandler {
        { request in
            guard case .user(let user) = request.caller else { return .json(Representations.v1Anonymous) }
            return .json(Representations.v1User(user, base: Representations.base(request)))
        }
    }
}
