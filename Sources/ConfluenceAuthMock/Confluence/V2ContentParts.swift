import AuthMockFormats
import AuthMockHTTP

/// Confluence REST v2: labels, content properties, footer comments and attachments of pages and
/// blog posts, over the store v1 shares.
extension SiteRoutes {
    /// `GET /wiki/api/v2/pages/{id}/labels` (and blog posts', attachments').
    func v2Labels(_ kind: ContentKind) -> SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let (item, _) = request.visibleItem(id, kinds: ContentKinds(kind)) else { return Self.v2NotFound(kind, id) }
            let page = ResultPage.v2(item.labels, request.http)
            return Self.v2List(page.items.map(SiteRequest.v2Label), next: page.v2NextLink(path: request.address.path, request: request.http), request: request)
        }
    }

    // MARK: Properties

    /// The item a property route's path names (`{page-id}`, `{blogpost-id}`, `{attachment-id}`).
    private static func propertyOwner(_ request: SiteRequest) -> String {
        request.parameters["page-id"] ?? request.parameters["blogpost-id"] ?? request.parameters["attachment-id"] ?? ""
    }

    /// `GET /wiki/api/v2/pages/{page-id}/properties[?key=]`.
    func v2Properties(_ kind: ContentKind) -> SiteRouteHandler {
        { request in
            let id = Self.propertyOwner(request)
            guard let (item, _) = request.visibleItem(id, kinds: ContentKinds(kind)) else { return Self.v2NotFound(kind, id) }
            let key = request.http.queryValue("key")
            let page = ResultPage.v2(item.properties.filter { key == nil || $0.key == key }, request.http)
            return Self.v2List(page.items.map(SiteRequest.v2Property), next: page.v2NextLink(path: request.address.path, request: request.http), request: request)
        }
    }

    /// `GET /wiki/api/v2/pages/{page-id}/properties/{property-id}`.
    func v2Property(_ kind: ContentKind) -> SiteRouteHandler {
        { request in
            let id = Self.propertyOwner(request), propertyID = request.parameters["property-id"] ?? ""
            guard let (item, _) = request.visibleItem(id, kinds: ContentKinds(kind)) else { return Self.v2NotFound(kind, id) }
            guard let property = item.properties.first(where: { $0.id == propertyID }) else { return Self.v2PropertyNotFound(propertyID) }
            return .json(SiteRequest.v2Property(property))
        }
    }

    /// `POST /wiki/api/v2/pages/{page-id}/properties` with `{"key","value"}`.
    func v2CreateProperty(_ kind: ContentKind) -> SiteRouteHandler {
        { request in
            let id = Self.propertyOwner(request)
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            guard request.visibleItem(id, kinds: ContentKinds(kind)) != nil else { return Self.v2NotFound(kind, id) }
            guard let key = body["key"]?.stringValue, !key.isEmpty, key.count <= 255, let value = body["value"] else {
                return Self.v2Invalid("A property needs a key and a value")
            }
            var existed = false
            return Self.changeItem(&request, id) { item in
                existed = item.properties.contains { $0.key == key }
                if !existed { item.properties.append(ContentProperty(id: "", key: key, value: value, version: 1)) }
            } answer: { _, item in
                guard !existed, let property = item.properties.first(where: { $0.key == key }) else {
                    return ConfluenceErrors.v2(.conflict, code: "CONFLICT", title: "A property with key '\(key)' already exists on content \(id)")
                }
                return .json(SiteRequest.v2Property(property))
            }
        }
    }

    /// `PUT /wiki/api/v2/pages/{page-id}/properties/{property-id}` with `{"key","value","version":{"number":N+1}}`.
    func v2UpdateProperty(_ kind: ContentKind) -> SiteRouteHandler {
        { request in
            let id = Self.propertyOwner(request), propertyID = request.parameters["property-id"] ?? ""
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            guard let (item, _) = request.visibleItem(id, kinds: ContentKinds(kind)) else { return Self.v2NotFound(kind, id) }
            guard item.properties.contains(where: { $0.id == propertyID }) else { return Self.v2PropertyNotFound(propertyID) }
            guard let value = body["value"], let number = body["version"]?["number"]?.intValue else {
                return Self.v2Invalid("A property update needs a value and version.number")
            }
            var current: Int?
            return Self.changeItem(&request, id) { item in
                guard let index = item.properties.firstIndex(where: { $0.id == propertyID }) else { return }
                guard number == item.properties[index].version + 1 else { return current = item.properties[index].version }
                item.properties[index].value = value
                item.properties[index].version = number
                if let key = body["key"]?.stringValue, !key.isEmpty { item.properties[index].key = key }
            } answer: { _, item in
                if let current { return ConfluenceErrors.v2(.conflict, code: "CONFLICT", title: "Version must be incremented on update. Current version is: \(current)") }
                return item.properties.first { $0.id == propertyID }.map { .json(SiteRequest.v2Property($0)) } ?? Self.v2PropertyNotFound(propertyID)
            }
        }
    }

    /// `DELETE /wiki/api/v2/pages/{page-id}/properties/{property-id}` → 204.
    func v2DeleteProperty(_ kind: ContentKind) -> SiteRouteHandler {
        { request in
            let id = Self.propertyOwner(request), propertyID = request.parameters["property-id"] ?? ""
            guard let (item, _) = request.visibleItem(id, kinds: ContentKinds(kind)) else { return Self.v2NotFound(kind, id) }
            guard item.properties.contains(where: { $0.id == propertyID }) else { return Self.v2PropertyNotFound(propertyID) }
            return Self.changeItem(&request, id) { $0.properties.removeAll { $0.id == propertyID } } answer: { _, _ in HTTPResponse(status: .noContent) }
        }
    }

    static func v2PropertyNotFound(_ id: String) -> HTTPResponse {
        ConfluenceErrors.v2(.notFound, code: "NOT_FOUND", title: "Cannot find a content property with id [\(id)]")
    }

    // MARK: Comments

    /// `GET /wiki/api/v2/pages/{id}/footer-comments` or `/inline-comments` (and blog posts').
    func v2Comments(of kind: ContentKind, inline: Bool) -> SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let (item, _) = request.visibleItem(id, kinds: ContentKinds(kind)) else { return Self.v2NotFound(kind, id) }
            let comments = request.content.children(onSite: request.site.name, of: item.id, kind: .comment).filter { ($0.inlineSelection != nil) == inline }
            let page = ResultPage.v2(comments, request.http)
            return Self.v2List(page.items.map { request.v2Comment($0) }, next: page.v2NextLink(path: request.address.path, request: request.http), request: request)
        }
    }

    /// `POST /wiki/api/v2/footer-comments` with `{"pageId"|"blogPostId","body":{"representation":"storage","value"}}` → 201;
    /// `POST /wiki/api/v2/inline-comments` also needs `"inlineCommentProperties":{"textSelection"}`.
    func v2CreateComment(inline: Bool) -> SiteRouteHandler {
        { request in
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            guard let containerID = Self.identifier(body["pageId"]) ?? Self.identifier(body["blogPostId"]) else {
                return Self.v2Invalid("A comment needs pageId or blogPostId")
            }
            let selection = body["inlineCommentProperties"]?["textSelection"]?.stringValue
            if inline && (selection ?? "").isEmpty { return Self.v2Invalid("An inline comment needs inlineCommentProperties.textSelection") }
            guard let (container, space) = request.visibleItem(containerID, kinds: [.page, .blogpost]) else { return Self.v2NotFound(.page, containerID) }
            guard request.mayAct(in: space.key) else {
                request.deny("no \(request.permissionName) permission on space \(space.key)")
                return Self.v2Forbidden
            }
            guard let created = request.create(.comment, inSpace: space.key, title: "Re: \(container.title)", body: body["body"]?["value"]?.stringValue ?? "",
                                               parentId: container.id, inlineSelection: inline ? selection : nil) else { return HTTPResponse(status: .internalServerError) }
            var response = HTTPResponse.json(request.v2Comment(created))
            response.status = .created
            return response
        }
    }

    /// `GET /wiki/api/v2/footer-comments/{comment-id}` (or `inline-comments`).
    func v2Comment(inline: Bool) -> SiteRouteHandler {
        { request in
            let id = request.parameters["comment-id"] ?? ""
            guard let (item, _) = request.visibleItem(id, kinds: [.comment]), (item.inlineSelection != nil) == inline else { return Self.v2NotFound(.comment, id) }
            return .json(request.v2Comment(item))
        }
    }

    /// `DELETE /wiki/api/v2/footer-comments/{comment-id}` (or `inline-comments`) → 204.
    func v2DeleteComment(inline: Bool) -> SiteRouteHandler {
        { request in
            let id = request.parameters["comment-id"] ?? ""
            let found = request.itemToChange(id, kinds: [.comment], notFound: Self.v2NotFound(.comment, id), forbidden: Self.v2Forbidden)
            guard case .success(let (item, _)) = found else { return found.failureResponse }
            guard (item.inlineSelection != nil) == inline else { return Self.v2NotFound(.comment, id) }
            request.state.changeContent { content, _ in content.purge(onSite: request.site.name, id: id) }
            return HTTPResponse(status: .noContent)
        }
    }

    // MARK: Attachments

    /// `GET /wiki/api/v2/attachments`, or with `kind` `/pages/{id}/attachments` and `/blogposts/{id}/attachments`.
    func v2Attachments(of kind: ContentKind? = nil) -> SiteRouteHandler {
        { request in
            var items: [StoredContent]
            if let kind {
                let id = request.parameters["id"] ?? ""
                guard let (container, _) = request.visibleItem(id, kinds: ContentKinds(kind)) else { return Self.v2NotFound(kind, id) }
                items = request.content.children(onSite: request.site.name, of: container.id, kind: .attachment)
            } else {
                items = request.content.items(onSite: request.site.name, kind: .attachment).filter { request.can(.view, in: $0.spaceKey) }
            }
            if let name = request.http.queryValue("filename") { items = items.filter { $0.title == name } }
            if let type = request.http.queryValue("mediaType") { items = items.filter { $0.file?.mediaType == type } }
            let page = ResultPage.v2(items, request.http)
            return Self.v2List(page.items.map { request.v2Attachment($0) }, next: page.v2NextLink(path: request.address.path, request: request.http), request: request)
        }
    }

    /// `GET /wiki/api/v2/attachments/{id}`.
    var v2Attachment: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let (item, _) = request.visibleItem(id, kinds: [.attachment]) else { return Self.v2NotFound(.attachment, id) }
            return .json(request.v2Attachment(item))
        }
    }
}
