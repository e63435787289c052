import AuthMockFormats
import AuthMockHTTP

/// Confluence REST v1 content: pages, blog posts and comments, one store with v2 (ContentStore).
/// Deleting moves pages and blog posts to the trash; deleting again with `status=trashed` purges.
extension SiteRoutes {
    /// `GET /wiki/rest/api/content?type=page|blogpost&spaceKey=&title=&status=&expand=`.
    var v1ContentList: SiteRouteHandler {
        { request in
            let http = request.http
            guard let kind = ContentKind(rawValue: http.queryValue("type") ?? "page") else { return Self.v1BadType(http.queryValue("type") ?? "") }
            let status = ContentStatus(rawValue: http.queryValue("status") ?? "current") ?? .current
            let spaceKey = http.queryValue("spaceKey"), title = http.queryValue("title")
            let items = request.content.items(onSite: request.site.name, kind: kind, inSpace: spaceKey, status: status)
                .filter { request.can(.view, in: $0.spaceKey) && (title == nil || $0.title == title) }
            return Self.v1ContentPage(items, request: request, selfPath: "/rest/api/content")
        }
    }

    /// A v1 list of content, paged by `start` and `limit`.
    static func v1ContentPage(_ items: [StoredContent], request: SiteRequest, selfPath: String, maximum: Int = 100) -> HTTPResponse {
        let page = ResultPage.v1(items, request.http, maximum: maximum)
        let spaces = request.spaces
        let results = page.items.compactMap { item in spaces.first { $0.key == item.spaceKey }.map { request.v1JSON(item, space: $0) } }
        return .json(Representations.v1List(results, start: page.start, limit: page.limit, base: Representations.base(request), selfPath: selfPath))
    }

    /// `GET /wiki/rest/api/content/{id}[?expand=…&status=…]`: any kind; trashed content with `status=trashed` (or `any`).
    var v1Content: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            let asked = request.http.queryValues("status").flatMap { $0.split(separator: ",") }
            let status: ContentStatus? = asked.contains("any") || (asked.contains("trashed") && asked.contains("current")) ? nil
                : asked.contains("trashed") ? .trashed : .current
            guard let (item, space) = request.visibleItem(id, status: status) else { return Self.v1ContentNotFound(id) }
            return .json(request.v1JSON(item, space: space))
        }
    }

    /// `POST /wiki/rest/api/content` with `{"type":"page"|"blogpost"|"comment","title","space":{"key"},
    /// "ancestors":[{"id"}],"container":{"id"},"body":{"storage":{"value"}}}`.
    var v1CreateContent: SiteRouteHandler {
        { request in
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            let type = body["type"]?.stringValue ?? "page"
            guard let kind = ContentKind(rawValue: type), kind != .attachment else { return Self.v1BadType(type) }
            let text = body["body"]?["storage"]?["value"]?.stringValue ?? ""
            if kind == .comment { return Self.v1CreateComment(&request, body: body, text: text) }
            guard let key = body["space"]?["key"]?.stringValue, let space = request.spaces.first(where: { $0.key == key }) else {
                return ConfluenceErrors.v1(.badRequest, "A space key is required: {\"space\":{\"key\":…}}")
            }
            guard let title = body["title"]?.stringValue, !title.isEmpty else { return ConfluenceErrors.v1(.badRequest, "Title is required") }
            guard request.mayAct(in: key) else {
                request.deny("no \(request.permissionName) permission on space \(key)")
                return Self.v1PermissionDenied("Could not create content with type \(type)")
            }
            let parent = kind == .page ? body["ancestors"]?.arrayValue?.last?["id"].flatMap { $0.stringValue ?? $0.intValue.map(String.init) } : nil
            if let parent, request.content.item(onSite: request.site.name, id: parent)?.spaceKey != key {
                return ConfluenceErrors.v1(.badRequest, "The parent page \(parent) is not a page of space \(key)")
            }
            guard let created = request.create(kind, inSpace: key, title: title, body: text, parentId: parent) else {
                return ConfluenceErrors.v1(.badRequest, "A page with this title already exists: A \(type) already exists with the same TITLE in this space")
            }
            return .json(request.v1JSON(created, space: space, withBody: true))
        }
    }

    /// A comment on the content `container.id` names: the caller needs to view it and to edit its space.
    private static func v1CreateComment(_ request: inout SiteRequest, body: JSONValue, text: String) -> HTTPResponse {
        let containerID = body["container"]?["id"].flatMap { $0.stringValue ?? $0.intValue.map(String.init) } ?? ""
        guard let (container, space) = request.visibleItem(containerID, kinds: [.page, .blogpost]) else {
            return ConfluenceErrors.v1(.badRequest, "A comment needs a container: {\"container\":{\"id\":…}} naming a page or blog post")
        }
        guard request.mayAct(in: space.key) else {
            request.deny("no \(request.permissionName) permission on space \(space.key)")
            return Self.v1PermissionDenied("Could not create content with type comment")
        }
        // `extensions.location: "inline"` with the selected text makes an inline comment.
        let inline = body["extensions"]?["location"]?.stringValue == "inline"
            ? body["extensions"]?["inlineProperties"]?["originalSelection"]?.stringValue ?? "" : nil
        guard let created = request.create(.comment, inSpace: space.key, title: "Re: \(container.title)", body: text, parentId: container.id,
                                           inlineSelection: inline) else {
            return HTTPResponse(status: .internalServerError)
        }
        return .json(request.v1JSON(created, space: space, withBody: true))
    }

    /// `PUT /wiki/rest/api/content/{id}` with `{"version":{"number":N+1},"title","type","body":{"storage":{"value"}}}`;
    /// `"status":"current"` on trashed content restores it.
    var v1UpdateContent: SiteRouteHandler {
        { request in
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            let id = request.parameters["id"] ?? ""
            let restoring = body["status"]?.stringValue == "current"
            let found = request.itemToChange(id, kinds: [.page, .blogpost, .comment], status: restoring ? nil : .current, notFound: Self.v1ContentNotFound(id),
                                             forbidden: Self.v1PermissionDenied("Could not update content with id \(id)"))
            guard case .success(let (current, space)) = found else { return found.failureResponse }
            guard let version = body["version"]?["number"]?.intValue else { return ConfluenceErrors.v1(.badRequest, "Version number is required") }
            func conflict(_ currentVersion: Int) -> HTTPResponse {
                ConfluenceErrors.v1(.conflict, "com.atlassian.confluence.api.service.exceptions.ConflictException: Version must be incremented on update. Current version is: \(currentVersion)")
            }
            guard version == current.version + 1 else { return conflict(current.version) }
            let title = body["title"]?.stringValue ?? current.title
            guard !title.isEmpty else { return ConfluenceErrors.v1(.badRequest, "Title is required") }
            let text = body["body"]?["storage"]?["value"]?.stringValue ?? current.body
            let message = body["version"]?["message"]?.stringValue ?? "", minor = body["version"]?["minorEdit"]?.boolValue ?? false
            let outcome = request.state.changeContent { content, now in
                content.update(onSite: request.site.name, id: id, from: current.version, title: title, body: text, authorId: request.caller.accountId,
                               message: message, minorEdit: minor, now: now)
            }
            switch outcome {
            case .updated(let updated): return .json(request.v1JSON(updated, space: space, withBody: true))
            case .missing: return Self.v1ContentNotFound(id)
            case .conflict(let currentVersion): return conflict(currentVersion)
            }
        }
    }

    /// `DELETE /wiki/rest/api/content/{id}` → 204: a page, blog post or attachment goes to the
    /// trash, a comment is removed; `?status=trashed` purges trashed content (space admins only).
    var v1DeleteContent: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            let purging = request.http.queryValue("status") == "trashed"
            let found = request.itemToChange(id, status: purging ? .trashed : .current, notFound: Self.v1ContentNotFound(id),
                                             forbidden: Self.v1PermissionDenied("Could not delete content with id \(id)"))
            guard case .success(let (item, _)) = found else { return found.failureResponse }
            request.state.changeContent { content, _ in
                if purging || item.kind == .comment { content.purge(onSite: request.site.name, id: id) } else { content.trash(onSite: request.site.name, id: id) }
            }
            return HTTPResponse(status: .noContent)
        }
    }

    /// `GET /wiki/rest/api/content/{id}/history`: the version clients read before an update
    /// (atlassian-python-api's `update_page` does).
    var v1ContentHistory: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let (stored, _) = request.visibleItem(id) else { return Self.v1ContentNotFound(id) }
            return .json(.object(JSONObject([
                ("latest", true), ("createdBy", request.v1Person(stored.authorId)), ("createdDate", .string(ISO8601.format(stored.createdAt, milliseconds: true))),
                ("lastUpdated", request.v1Version(stored.currentVersion)),
                ("_links", .object(JSONObject([("self", .string("\(Representations.base(request))/rest/api/content/\(id)/history"))]))),
            ])))
        }
    }

    static func v1ContentNotFound(_ id: String) -> HTTPResponse {
        ConfluenceErrors.v1(.notFound, "com.atlassian.confluence.api.service.exceptions.NotFoundException: No content found with id: ContentId{id=\(id)}")
    }

    static func v1BadType(_ type: String) -> HTTPResponse {
        ConfluenceErrors.v1(.badRequest, "com.atlassian.confluence.api.service.exceptions.BadRequestException: Unsupported content type: \(type)")
    }

    /// `true` when `expand` (comma-separated, repeatable) names `field` or something under it.
    static func expands(_ request: HTTPRequest, _ field: String) -> Bool {
        request.queryValues("expand").flatMap { $0.split(separator: ",") }.contains { $0 == field || $0.hasPrefix(field + ".") }
    }
}
