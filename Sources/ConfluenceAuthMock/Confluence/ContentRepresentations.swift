import AuthMockFormats

/// A content item in each API's shape, with what the store knows about it (ancestors, container,
/// labels): v1's `expand` decides what a v1 answer includes; v2 answers follow `body-format`.
extension SiteRequest {
    /// The fields `expand` (comma-separated, repeatable) names, and what lies under them.
    func expands(_ field: String) -> Bool { SiteRoutes.expands(http, field) }

    /// v1's content: `id`, `type`, `status`, `title`, `space`, `history`, `version`, `_links`;
    /// `body.storage` with `expand=body.storage` (or when `withBody`), `ancestors` with
    /// `expand=ancestors`, `container` for comments and attachments, `metadata.labels` with
    /// `expand=metadata.labels`, and an attachment's `extensions` and download link.
    func v1JSON(_ item: StoredContent, space: Space, withBody: Bool = false) -> JSONValue {
        let base = Representations.base(self)
        var object = JSONObject([
            ("id", .string(item.id)), ("type", .string(item.kind.rawValue)), ("status", .string(item.status.rawValue)), ("title", .string(item.title)),
            ("space", .object(JSONObject([("id", .int(Int(space.id) ?? 0)), ("key", .string(space.key)), ("name", .string(space.name)),
                                          ("type", "global"), ("status", "current")]))),
            ("history", .object(JSONObject([("latest", true), ("createdDate", .string(ISO8601.format(item.createdAt, milliseconds: true))),
                                            ("createdBy", v1Person(item.authorId))]))),
            ("version", v1Version(item.currentVersion)),
        ])
        if withBody || expands("body.storage") {
            object["body"] = .object(JSONObject([("storage", .object(JSONObject([("value", .string(item.body)), ("representation", "storage")])))]))
        }
        if expands("ancestors") {
            object["ancestors"] = .array(content.ancestors(onSite: site.name, of: item).map { v1Summary($0) })
        }
        if let parent = item.parentId, item.kind == .comment || item.kind == .attachment, let container = content.item(onSite: site.name, id: parent) {
            object["container"] = v1Summary(container)
        }
        if expands("metadata.labels") {
            object["metadata"] = .object(JSONObject([("labels", v1Labels(item, base: base))]))
        }
        var links = JSONObject([("webui", .string(webUI(item, space: space))), ("tinyui", .string("/x/\(item.id)")),
                                ("self", .string("\(base)/rest/api/content/\(item.id)"))])
        if let file = item.file {
            object["extensions"] = .object(JSONObject([("mediaType", .string(file.mediaType)), ("fileSize", .int(file.data.count)), ("comment", .string(file.comment))]))
            object["metadata"] = .object(JSONObject([("mediaType", .string(file.mediaType)), ("comment", .string(file.comment))]))
            links["download"] = .string("/download/attachments/\(item.parentId ?? "")/\(PercentEncoding.encodeUnreserved(item.title))?version=\(item.version)&api=v2")
        }
        if item.kind == .comment {
            var extensions = JSONObject([("location", item.inlineSelection == nil ? "footer" : "inline")])
            if let selection = item.inlineSelection { extensions["inlineProperties"] = .object(JSONObject([("originalSelection", .string(selection))])) }
            object["extensions"] = .object(extensions)
        }
        object["_expandable"] = .object(JSONObject([("children", .string("/rest/api/content/\(item.id)/child")),
                                                    ("descendants", .string("/rest/api/content/\(item.id)/descendant"))]))
        object["_links"] = .object(links)
        return .object(object)
    }

    /// The few fields a reference to content carries (an ancestor, a container).
    func v1Summary(_ item: StoredContent) -> JSONValue {
        .object(JSONObject([("id", .string(item.id)), ("type", .string(item.kind.rawValue)), ("status", .string(item.status.rawValue)),
                            ("title", .string(item.title)), ("_links", .object(JSONObject([("self", .string("\(Representations.base(self))/rest/api/content/\(item.id)"))])))]))
    }

    func v1Version(_ version: ContentVersion) -> JSONValue {
        .object(JSONObject([("by", v1Person(version.authorId)), ("when", .string(ISO8601.format(version.when, milliseconds: true))),
                            ("message", .string(version.message)), ("number", .int(version.number)), ("minorEdit", .bool(version.minorEdit))]))
    }

    /// A user by account id, as v1 embeds one; the anonymous user for content the scenario wrote.
    func v1Person(_ accountId: String?) -> JSONValue {
        guard let accountId, let user = scenario.user(accountId: accountId) else { return Representations.v1Anonymous }
        return Representations.v1User(user, base: Representations.base(self))
    }

    func v1Labels(_ item: StoredContent, base: String) -> JSONValue {
        let labels = item.labels.map { Self.v1Label($0) }
        return Representations.v1List(labels, start: 0, limit: max(labels.count, 200), base: base, selfPath: "/rest/api/content/\(item.id)/label")
    }

    static func v1Label(_ name: String) -> JSONValue {
        .object(JSONObject([("prefix", "global"), ("name", .string(name)), ("id", .string(labelID(name))), ("label", .string(name))]))
    }

    /// A label's id: stable for its name, numeric as Confluence's are.
    static func labelID(_ name: String) -> String { String(name.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 } % 1_000_000_000) }

    private func webUI(_ item: StoredContent, space: Space) -> String {
        switch item.kind {
        case .page: "/spaces/\(space.key)/pages/\(item.id)"
        case .blogpost: "/spaces/\(space.key)/blog/\(item.id)"
        case .comment, .attachment: "/spaces/\(space.key)/pages/\(item.parentId ?? item.id)"
        }
    }

    // MARK: v2

    /// v2's page or blog post: `parentId` for a page, `body.storage` with `body-format=storage`.
    /// Built in one step (a member list, not one insertion per member): every v2 read answers with it.
    func v2JSON(_ item: StoredContent, space: Space, withBody: Bool? = nil) -> JSONValue {
        let created = ISO8601.format(item.createdAt, milliseconds: true)
        let body = withBody ?? (http.queryValue("body-format") == "storage")
        let current = item.currentVersion
        let updated: String = item.updatedAt == item.createdAt ? created : ISO8601.format(item.updatedAt, milliseconds: true)
        let author: JSONValue = item.authorId.map { .string($0) } ?? .null
        let versionAuthor: JSONValue = (current.authorId ?? item.authorId).map { .string($0) } ?? .null
        let version = JSONObject([("number", .int(item.version)), ("message", .string(current.message)),
                                  ("minorEdit", .bool(current.minorEdit)), ("authorId", versionAuthor), ("createdAt", .string(updated))])
        let storage: JSONValue = body ? .object(JSONObject([("storage", .object(JSONObject([("representation", "storage"), ("value", .string(item.body))])))]))
                                      : .object(JSONObject())
        let links = JSONObject([("webui", .string(webUI(item, space: space))), ("tinyui", .string("/x/\(item.id)"))])
        let parent: JSONValue = item.parentId.map { .string($0) } ?? .null
        var object = JSONObject([
            ("id", .string(item.id)), ("status", .string(item.status.rawValue)), ("title", .string(item.title)), ("spaceId", .string(space.id)),
            ("parentId", parent), ("parentType", item.parentId == nil ? .null : "page"), ("authorId", author), ("createdAt", .string(created)),
            ("version", .object(version)), ("body", storage), ("_links", .object(links)),
        ])
        // Only pages have a parent.
        if item.kind != .page {
            object["parentId"] = nil
            object["parentType"] = nil
        }
        return .object(object)
    }

    func v2Version(_ version: ContentVersion) -> JSONValue {
        .object(JSONObject([("number", .int(version.number)), ("message", .string(version.message)), ("minorEdit", .bool(version.minorEdit)),
                            ("authorId", version.authorId.map { .string($0) } ?? .null),
                            ("createdAt", .string(ISO8601.format(version.when, milliseconds: true)))]))
    }

    func v2Comment(_ item: StoredContent) -> JSONValue {
        let container = item.parentId.flatMap { content.item(onSite: site.name, id: $0) }
        var object = JSONObject([("id", .string(item.id)), ("status", .string(item.status.rawValue)), ("title", .string(item.title))])
        object[container?.kind == .blogpost ? "blogPostId" : "pageId"] = .string(item.parentId ?? "")
        object["version"] = v2Version(item.currentVersion)
        object["body"] = http.queryValue("body-format") == "storage"
            ? .object(JSONObject([("storage", .object(JSONObject([("representation", "storage"), ("value", .string(item.body))])))])) : .object(JSONObject())
        if let selection = item.inlineSelection {
            object["resolutionStatus"] = "open"
            object["properties"] = .object(JSONObject([("inlineMarkerRef", .string("marker-\(item.id)")), ("inlineOriginalSelection", .string(selection))]))
        }
        object["_links"] = .object(JSONObject([("webui", .string("/pages/\(item.parentId ?? "")?focusedCommentId=\(item.id)"))]))
        return .object(object)
    }

    func v2Attachment(_ item: StoredContent) -> JSONValue {
        let container = item.parentId.flatMap { content.item(onSite: site.name, id: $0) }
        var object = JSONObject([("id", .string(item.id)), ("status", .string(item.status.rawValue)), ("title", .string(item.title)),
                                 ("createdAt", .string(ISO8601.format(item.createdAt, milliseconds: true)))])
        object[container?.kind == .blogpost ? "blogPostId" : "pageId"] = .string(item.parentId ?? "")
        object["mediaType"] = .string(item.file?.mediaType ?? "application/octet-stream")
        object["comment"] = .string(item.file?.comment ?? "")
        object["fileSize"] = .int(item.file?.data.count ?? 0)
        object["version"] = v2Version(item.currentVersion)
        object["downloadLink"] = .string("/download/attachments/\(item.parentId ?? "")/\(PercentEncoding.encodeUnreserved(item.title))?version=\(item.version)&api=v2")
        object["_links"] = .object(JSONObject([("download", object["downloadLink"] ?? .null)]))
        return .object(object)
    }

    static func v2Label(_ name: String) -> JSONValue {
        .object(JSONObject([("id", .string(labelID(name))), ("name", .string(name)), ("prefix", "global")]))
    }

    static func v2Property(_ property: ContentProperty) -> JSONValue {
        .object(JSONObject([("id", .string(property.id)), ("key", .string(property.key)), ("value", property.value),
                            ("version", .object(JSONObject([("number", .int(property.version)), ("message", ""), ("minorEdit", false)])))]))
    }

    /// v1's content property.
    func v1Property(_ property: ContentProperty, of item: StoredContent) -> JSONValue {
        .object(JSONObject([("id", .string(property.id)), ("key", .string(property.key)), ("value", property.value),
                            ("version", .object(JSONObject([("when", .string(ISO8601.format(item.updatedAt, milliseconds: true))), ("message", ""),
                                                            ("number", .int(property.version)), ("minorEdit", false)]))),
                            ("_links", .object(JSONObject([("self", .string("\(Representations.base(self))/rest/api/content/\(item.id)/property/\(property.key)"))])))]))
    }
}
