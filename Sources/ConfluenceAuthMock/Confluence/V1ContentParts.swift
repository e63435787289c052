import AuthMockFormats
import AuthMockHTTP

/// Confluence REST v1: what hangs off a content item — children, comments, labels, properties and
/// versions. Each needs view permission on the item's space; changes need the route's permission.
extension SiteRoutes {
    /// `GET /wiki/rest/api/content/{id}/child`: `{page, comment, attachment}` lists.
    var v1Children: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let (item, space) = request.visibleItem(id) else { return Self.v1ContentNotFound(id) }
            let base = Representations.base(request)
            var object = JSONObject()
            for kind in [ContentKind.page, .comment, .attachment] {
                let children = request.content.children(onSite: request.site.name, of: item.id, kind: kind)
                object[kind.rawValue] = Representations.v1List(children.map { request.v1JSON($0, space: space) }, start: 0, limit: 25, base: base,
                                                               selfPath: "/rest/api/content/\(item.id)/child/\(kind.rawValue)")
            }
            object["_links"] = .object(JSONObject([("base", .string(base)), ("self", .string("\(base)/rest/api/content/\(item.id)/child"))]))
            return .json(.object(object))
        }
    }

    /// `GET /wiki/rest/api/content/{id}/child/{type}` (`page`, `comment`, `attachment`), and
    /// `/child/comment` and `/child/attachment` themselves (`kind` set).
    func v1ChildrenOfType(_ fixed: ContentKind? = nil) -> SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            let type = fixed?.rawValue ?? request.parameters["type"] ?? ""
            guard let kind = ContentKind(rawValue: type), kind != .blogpost else { return Self.v1BadType(type) }
            guard let (item, _) = request.visibleItem(id) else { return Self.v1ContentNotFound(id) }
            var children = request.content.children(onSite: request.site.name, of: item.id, kind: kind)
            if kind == .comment, let location = request.http.queryValue("location") {
                children = children.filter { ($0.inlineSelection == nil ? "footer" : "inline") == location }
            }
            if kind == .attachment {
                if let name = request.http.queryValue("filename") { children = children.filter { $0.title == name } }
                if let type = request.http.queryValue("mediaType") { children = children.filter { $0.file?.mediaType == type } }
            }
            return Self.v1ContentPage(children, request: request, selfPath: "/rest/api/content/\(item.id)/child/\(kind.rawValue)", maximum: 200)
        }
    }

    // MARK: Labels

    /// `GET /wiki/rest/api/content/{id}/label`.
    var v1Labels: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let (item, _) = request.visibleItem(id) else { return Self.v1ContentNotFound(id) }
            return .json(request.v1Labels(item, base: Representations.base(request)))
        }
    }

    /// `POST /wiki/rest/api/content/{id}/label` with `[{"prefix":"global","name"}]` (or one such
    /// object, as atlassian-python-api sends): the labels the item then has.
    var v1AddLabels: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let body = try? request.http.jsonBody() else { return ConfluenceErrors.v1(.badRequest, "the request body must be a label or a list of labels") }
            let entries = body.arrayValue ?? [body]
            let names = entries.compactMap { $0["name"]?.stringValue?.lowercased() }
            guard names.count == entries.count, !names.isEmpty, names.allSatisfy(Self.isLabelName) else {
                return ConfluenceErrors.v1(.badRequest, "Each label needs a name without spaces: [{\"prefix\":\"global\",\"name\":\"…\"}]")
            }
            return Self.changeItem(&request, id) { item in
                for name in names where !item.labels.contains(name) { item.labels.append(name) }
            } answer: { request, item in .json(request.v1Labels(item, base: Representations.base(request))) }
        }
    }

    /// `DELETE /wiki/rest/api/content/{id}/label?name=` and `/label/{label}` → 204.
    var v1RemoveLabel: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            let name = request.parameters["label"] ?? request.http.queryValue("name") ?? ""
            guard let (item, _) = request.visibleItem(id) else { return Self.v1ContentNotFound(id) }
            guard item.labels.contains(name) else { return ConfluenceErrors.v1(.notFound, "Label '\(name)' is not on content \(id)") }
            return Self.changeItem(&request, id) { $0.labels.removeAll { $0 == name } } answer: { _, _ in HTTPResponse(status: .noContent) }
        }
    }

    static func isLabelName(_ name: String) -> Bool { !name.isEmpty && name.count <= 255 && !name.contains(where: \.isWhitespace) }

    // MARK: Properties

    /// `GET /wiki/rest/api/content/{id}/property`.
    var v1Properties: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let (item, _) = request.visibleItem(id) else { return Self.v1ContentNotFound(id) }
            let page = ResultPage.v1(item.properties, request.http)
            return .json(Representations.v1List(page.items.map { request.v1Property($0, of: item) }, start: page.start, limit: page.limit,
                                                base: Representations.base(request), selfPath: "/rest/api/content/\(id)/property"))
        }
    }

    /// `GET /wiki/rest/api/content/{id}/property/{key}`.
    var v1Property: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? "", key = request.parameters["key"] ?? ""
            guard let (item, _) = request.visibleItem(id) else { return Self.v1ContentNotFound(id) }
            guard let property = item.properties.first(where: { $0.key == key }) else { return Self.v1PropertyNotFound(key, id) }
            return .json(request.v1Property(property, of: item))
        }
    }

    /// `POST /wiki/rest/api/content/{id}/property` with `{"key","value"}` (or `/property/{key}`
    /// with `{"value"}`): a new property at version 1; an existing key is refused.
    var v1CreateProperty: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            guard let key = request.parameters["key"] ?? body["key"]?.stringValue, !key.isEmpty, key.count <= 255, let value = body["value"] else {
                return ConfluenceErrors.v1(.badRequest, "A property needs a key and a value")
            }
            var created = false
            return Self.changeItem(&request, id) { item in
                guard !item.properties.contains(where: { $0.key == key }) else { return }
                item.properties.append(ContentProperty(id: "", key: key, value: value, version: 1))
                created = true
            } answer: { request, item in
                guard created, let stored = item.properties.first(where: { $0.key == key }) else {
                    return ConfluenceErrors.v1(.conflict, "Cannot create property: content \(id) already has a property with key '\(key)'")
                }
                return .json(request.v1Property(stored, of: item))
            }
        }
    }

    /// `PUT /wiki/rest/api/content/{id}/property/{key}` with `{"value","version":{"number":N+1}}`:
    /// updates it (or creates it when absent, as Confluence does).
    var v1UpdateProperty: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? "", key = request.parameters["key"] ?? ""
            let parsed = request.jsonObject()
            guard case .success(let body) = parsed else { return parsed.failureResponse }
            guard let value = body["value"], let number = body["version"]?["number"]?.intValue else {
                return ConfluenceErrors.v1(.badRequest, "A property update needs a value and version.number")
            }
            var conflict: Int?
            return Self.changeItem(&request, id) { item in
                if let index = item.properties.firstIndex(where: { $0.key == key }) {
                    guard number == item.properties[index].version + 1 else { return conflict = item.properties[index].version }
                    item.properties[index].value = value
                    item.properties[index].version = number
                } else {
                    item.properties.append(ContentProperty(id: "", key: key, value: value, version: 1))
                }
            } answer: { request, item in
                if let conflict {
                    return ConfluenceErrors.v1(.conflict, "Version must be incremented on update. Current version is: \(conflict)")
                }
                return item.properties.first { $0.key == key }.map { .json(request.v1Property($0, of: item)) } ?? Self.v1PropertyNotFound(key, id)
            }
        }
    }

    /// `DELETE /wiki/rest/api/content/{id}/property/{key}` → 204.
    var v1DeleteProperty: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? "", key = request.parameters["key"] ?? ""
            guard let (item, _) = request.visibleItem(id) else { return Self.v1ContentNotFound(id) }
            guard item.properties.contains(where: { $0.key == key }) else { return Self.v1PropertyNotFound(key, id) }
            return Self.changeItem(&request, id) { $0.properties.removeAll { $0.key == key } } answer: { _, _ in HTTPResponse(status: .noContent) }
        }
    }

    static func v1PropertyNotFound(_ key: String, _ id: String) -> HTTPResponse {
        ConfluenceErrors.v1(.notFound, "com.atlassian.confluence.api.service.exceptions.NotFoundException: Cannot find property '\(key)' on content \(id)")
    }

    // MARK: Versions

    /// `GET /wiki/rest/api/content/{id}/version`: newest first.
    var v1Versions: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            guard let (item, _) = request.visibleItem(id) else { return Self.v1ContentNotFound(id) }
            let page = ResultPage.v1(Array(item.versions.reversed()), request.http, maximum: 200)
            return .json(Representations.v1List(page.items.map { request.v1Version($0) }, start: page.start, limit: page.limit,
                                                base: Representations.base(request), selfPath: "/rest/api/content/\(id)/version"))
        }
    }

    /// `GET /wiki/rest/api/content/{id}/version/{versionNumber}`.
    var v1Version: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? "", number = Int(request.parameters["versionNumber"] ?? "")
            guard let (item, _) = request.visibleItem(id) else { return Self.v1ContentNotFound(id) }
            guard let version = item.versions.first(where: { $0.number == number }) else {
                return ConfluenceErrors.v1(.notFound, "No version \(request.parameters["versionNumber"] ?? "") of content \(id)")
            }
            return .json(request.v1Version(version))
        }
    }

    /// Changes the item `id` (one the caller may view and holds the route's permission on) under
    /// the state lock, then answers from the item as changed. Properties given an empty id get a
    /// fresh one.
    static func changeItem(_ request: inout SiteRequest, _ id: String, _ change: (inout StoredContent) -> Void,
                           answer: (SiteRequest, StoredContent) -> HTTPResponse) -> HTTPResponse {
        let v2 = request.surface == .v2
        let found = request.itemToChange(id, notFound: v2 ? v2NotFound(.page, id) : v1ContentNotFound(id),
                                         forbidden: v2 ? v2Forbidden : v1PermissionDenied("Could not change content with id \(id)"))
        guard case .success = found else { return found.failureResponse }
        let site = request.site.name
        // Read, changed and written back under one lock: two concurrent changes cannot lose one.
        let changed = request.state.changeContent { content, _ -> StoredContent? in
            guard var item = content.item(onSite: site, id: id) else { return nil }
            change(&item)
            for index in item.properties.indices where item.properties[index].id.isEmpty { item.properties[index].id = content.takeID() }
            _ = content.modify(onSite: site, id: id) { [item] in $0 = item }
            return item
        }
        guard let changed else { return v2 ? v2NotFound(.page, id) : v1ContentNotFound(id) }
        return answer(request, changed)
    }
}
