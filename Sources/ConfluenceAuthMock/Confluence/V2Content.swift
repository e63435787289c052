import AuthMockFormats
import AuthMockHTTP

/// Confluence REST v2 pages and blog posts, over the store v1 shares: list, read, create, update
/// with version conflicts, delete to the trash and purge (`purge=true`), children, ancestors and
/// versions.
extension SiteRoutes {
    static let v2Forbidden = ConfluenceErrors.v2(.forbidden, code: "FORBIDDEN", title: "Forbidden")

    static func v2NotFound(_ kind: ContentKind, _ id: String) -> HTTPResponse {
        let noun = switch kind { case .page: "page"; case .blogpost: "blog post"; case .comment: "comment"; case .attachment: "attachment" }
        return ConfluenceErrors.v2(.notFound, code: "NOT_FOUND", title: "Cannot find a \(noun) with id [\(id)]")
    }

    static func v2PageNotFound(_ id: String) -> HTTPResponse { v2NotFound(.page, id) }

    static func v2SpaceNotFound(_ id: String) -> HTTPResponse {
        ConfluenceErrors.v2(.notFound, code: "NOT_FOUND", title: "Cannot find a space with id [\(id)]")
    }

    static func v2Invalid(_ title: String) -> HTTPResponse { ConfluenceErrors.v2(.badRequest, code: "INVALID_REQUEST_PARAMETER", title: title) }

    /// `GET /wiki/api/v2/pages` or `/blogposts` `[?space-id=&title=&status=&body-format=storage&cursor=&limit=]`;
    /// with `spaceFromPath`, `/spaces/{id}/pages` and `/spaces/{id}/blogposts`.
    func v2List(_ kind: ContentKind, spaceFromPath: Bool = false) -> SiteRouteHandler {
        { request in
            var spaceIDs = Self.list(request.http, "space-id")
            if spaceFromPath { spaceIDs = [request.parameters["id"] ?? ""] }
            let statuses = Self.list(request.http, "status").compactMap(ContentStatus.init(rawValue:))
            let title = request.http.queryValue("title")
            let spaces = request.spaces
            let items = (statuses.isEmpty ? [.current] : statuses).flatMap { request.content.items(onSite: request.site.name, kind: kind, status: $0) }
                .compactMap { item -> (StoredContent, Space)? in
                    guard let space = spaces.first(where: { $0.key == item.spaceKey }), request.can(.view, in: space.key),
                          spaceIDs.isEmpty || spaceIDs.contains(space.id), title == nil || item.title == title
                    else { return nil }
                    return (item, space)
                }
            let page = ResultPage.v2(items, request.http)
            return Self.v2List(page.items.map { request.v2JSON($0.0, space: $0.1) },
                               next: page.v2NextLink(path: request.address.path, request: request.http), request: request)
        }
    }

    /// `GET /wiki/api/v2/pages/{id}` or `/blogposts/{id}` `[?body-format=storage&status=trashed]`.
    func v2Read(_ kind: ContentKind) -> SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            let trashed = Self.list(request.http, "status").contains("trashed")
            guard let (item, space) = request.visibleItem(id, kinds: ContentKinds(kind), status: trashed ? nil : .current) else { return Self.v2NotFound(kind, id) }
            return .json(request.v2JSON(item, space: space))
        }
    }

    /// `POST /wiki/api/v2/pages` or `/blogposts` with `{"spaceId","title","parentId"?,"body":{"representation":"storage","value"}}`.
    func v2Create(_ kind: ContentKind) -> SiteRouteHandler {
        { request in
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            guard let spaceID = Self.identifier(body["spaceId"]), let space = request.spaces.first(where: { $0.id == spaceID })
            else { return Self.v2Invalid("spaceId is required and must name a space") }
            guard let title = body["title"]?.stringValue, !title.isEmpty else { return Self.v2Invalid("title is required") }
            guard request.mayAct(in: space.key) else {
                request.deny("no \(request.permissionName) permission on space \(space.key)")
                return Self.v2Forbidden
            }
            let parent = kind == .page ? Self.identifier(body["parentId"]) : nil
            if let parent, request.content.item(onSite: request.site.name, id: parent)?.spaceKey != space.key {
                return Self.v2Invalid("parentId \(parent) is not a page of space \(space.id)")
            }
            guard let created = request.create(kind, inSpace: space.key, title: title, body: body["body"]?["value"]?.stringValue ?? "", parentId: parent) else {
                return Self.v2Invalid("A \(kind == .page ? "page" : "blog post") with this title already exists in this space")
            }
            return .json(request.v2JSON(created, space: space, withBody: true))
        }
    }

    /// `PUT /wiki/api/v2/pages/{id}` or `/blogposts/{id}` with `{"id","status","title","body":{…},"version":{"number":N+1}}`.
    func v2Update(_ kind: ContentKind) -> SiteRouteHandler {
        { request in
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            let id = request.parameters["id"] ?? ""
            let found = request.itemToChange(id, kinds: ContentKinds(kind), status: nil, notFound: Self.v2NotFound(kind, id), forbidden: Self.v2Forbidden)
            guard case .success(let (current, space)) = found else { return found.failureResponse }
            guard let version = body["version"]?["number"]?.intValue else { return Self.v2Invalid("version.number is required") }
            func conflict(_ currentVersion: Int) -> HTTPResponse {
                ConfluenceErrors.v2(.conflict, code: "CONFLICT", title: "Version must be incremented on update. Current version is: \(currentVersion)")
            }
            guard version == current.version + 1 else { return conflict(current.version) }
            let title = body["title"]?.stringValue ?? current.title
            let text = body["body"]?["value"]?.stringValue ?? current.body
            let outcome = request.state.changeContent { content, now in
                content.update(onSite: request.site.name, id: id, from: current.version, title: title, body: text, authorId: request.caller.accountId,
                               message: body["version"]?["message"]?.stringValue ?? "", now: now)
            }
            switch outcome {
            case .updated(let updated): return .json(request.v2JSON(updated, space: space, withBody: true))
            case .missing: return Self.v2NotFound(kind, id)
            case .conflict(let currentVersion): return conflict(currentVersion)
            }
        }
    }

    /// `DELETE /wiki/api/v2/pages/{id}` or `/blogposts/{id}` → 204: to the trash; a trashed one with
    /// `purge=true` (space admins only) is removed for good.
    func v2Delete(_ kind: ContentKind) -> SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            let purging = request.http.queryValue("purge") == "true"
            let found = request.itemToChange(id, kinds: ContentKinds(kind), status: purging ? .trashed : .current, notFound: Self.v2NotFound(kind, id), forbidden: Self.v2Forbidden)
            guard case .success(let (item, _)) = found else { return found.failureResponse }
            request.state.changeContent { content, _ in
                if purging { content.purge(onSite: request.site.name, id: item.id) } else { content.trash(onSite: request.site.name, id: item.id) }
            }
            return HTTPResponse(status: .noContent)
        }
    }

    /// `GET /wiki/api/v2/pages/{id}/children`: the child pages, as v2 lists them.
    var v2PageChildren: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let (item, space) = request.visiblePage(id) else { return Self.v2PageNotFound(id) }
            let children = request.content.children(onSite: request.site.name, of: item.id, kind: .page)
            let page = ResultPage.v2(children, request.http)
            let results = page.items.map { child -> JSONValue in
                .object(JSONObject([("id", .string(child.id)), ("status", .string(child.status.rawValue)), ("title", .string(child.title)),
                                    ("spaceId", .string(space.id)), ("childPosition", .int(0))]))
            }
            return Self.v2List(results, next: page.v2NextLink(path: request.address.path, request: request.http), request: request)
        }
    }

    /// `GET /wiki/api/v2/pages/{id}/ancestors`: the root first, `{id, type}` each.
    var v2PageAncestors: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let (item, _) = request.visiblePage(id) else { return Self.v2PageNotFound(id) }
            let ancestors = request.content.ancestors(onSite: request.site.name, of: item).map { JSONValue.object(JSONObject([("id", .string($0.id)), ("type", "page")])) }
            return Self.v2List(ancestors, next: nil, request: request)
        }
    }

    /// `GET /wiki/api/v2/pages/{id}/versions` (and `/blogposts/{id}/versions`): newest first.
    func v2Versions(_ kind: ContentKind) -> SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let (item, _) = request.visibleItem(id, kinds: ContentKinds(kind)) else { return Self.v2NotFound(kind, id) }
            let page = ResultPage.v2(Array(item.versions.reversed()), request.http)
            return Self.v2List(page.items.map { request.v2Version($0) }, next: page.v2NextLink(path: request.address.path, request: request.http), request: request)
        }
    }

    /// An id given as a string or a number.
    static func identifier(_ value: JSONValue?) -> String? { value?.stringValue ?? value?.intValue.map(String.init) }
}
