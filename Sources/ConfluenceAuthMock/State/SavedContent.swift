import AuthMockFormats

/// The content model in a saved state (docs/state.md): every item with its versions, labels,
/// properties and attachment file. Members added after the first format are optional when read,
/// so an older file still loads.
extension ContentStore {
    var savedJSON: JSONValue {
        let sites = items.sorted { $0.key < $1.key }.map { site, items in (site, JSONValue.array(items.map(\.savedJSON))) }
        let names = spaceNames.sorted { $0.key < $1.key }.map { site, names -> (String, JSONValue) in
            (site, .object(JSONObject(names.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        return .object(JSONObject([("pages", .object(JSONObject(sites))), ("spaceNames", .object(JSONObject(names))), ("nextPageId", .int(nextID))]))
    }

    init?(saved node: JSONNode) {
        guard let object = node.object(keys: ["pages", "spaceNames", "nextPageId"]) else { return nil }
        let items = object.required("pages")?.map { $0.array(StoredContent.init(saved:)) }
        let names = object.required("spaceNames")?.map { $0.map { $0.string } }
        let next = object.required("nextPageId")?.count(atLeast: 1)
        guard let items, let names, let next else { return nil }
        self.init(items: items, spaceNames: names, nextID: next)
    }
}

extension StoredContent {
    static let savedKeys = ["id", "kind", "status", "title", "body", "spaceKey", "version", "createdAt", "authorId", "parentId", "labels",
                            "properties", "versions", "file", "inlineSelection"]

    var savedJSON: JSONValue {
        var object = JSONObject([("id", .string(id)), ("kind", .string(kind.rawValue)), ("status", .string(status.rawValue)), ("title", .string(title)),
                                 ("body", .string(body)), ("spaceKey", .string(spaceKey)), ("version", .int(version)), ("createdAt", .double(createdAt)),
                                 ("authorId", jsonOrNull(authorId)), ("parentId", jsonOrNull(parentId)), ("labels", .array(labels.map { .string($0) }))])
        object["properties"] = .array(properties.map { .object(JSONObject([("id", .string($0.id)), ("key", .string($0.key)), ("value", $0.value), ("version", .int($0.version))])) })
        object["versions"] = .array(versions.map {
            .object(JSONObject([("number", .int($0.number)), ("when", .double($0.when)), ("authorId", jsonOrNull($0.authorId)),
                                ("message", .string($0.message)), ("minorEdit", .bool($0.minorEdit))]))
        })
        if let inlineSelection { object["inlineSelection"] = .string(inlineSelection) }
        if let file {
            object["file"] = .object(JSONObject([("mediaType", .string(file.mediaType)), ("data", .string(Base64.encode(file.data))), ("comment", .string(file.comment))]))
        }
        return .object(object)
    }

    init?(saved node: JSONNode) {
        guard let object = node.object(keys: Self.savedKeys) else { return nil }
        let id = object.required("id")?.nonEmptyString, title = object.required("title")?.string, body = object.required("body")?.string
        let spaceKey = object.required("spaceKey")?.string, version = object.required("version")?.count(atLeast: 1), createdAt = object.required("createdAt")?.time
        let kind = object.optional("kind")?.oneOf(ContentKind.self, "content kind") ?? .page
        let status = object.optional("status")?.oneOf(ContentStatus.self, "content status") ?? .current
        let labels = object.optional("labels")?.strings ?? []
        let properties = object.optional("properties")?.array(Self.property) ?? []
        let versions = object.optional("versions")?.array(Self.version)
        let file = object.nullable("file").flatMap(Self.file)
        guard let id, let title, let body, let spaceKey, let version, let createdAt else { return nil }
        self.init(id: id, kind: kind, title: title, body: body, spaceKey: spaceKey, version: version, createdAt: createdAt,
                  authorId: object.nullable("authorId")?.string, parentId: object.nullable("parentId")?.string, file: file)
        self.status = status
        self.labels = labels
        self.properties = properties
        if let versions, !versions.isEmpty { self.versions = versions }
        inlineSelection = object.nullable("inlineSelection")?.string
    }

    private static func property(_ node: JSONNode) -> ContentProperty? {
        guard let object = node.object(keys: ["id", "key", "value", "version"]) else { return nil }
        let id = object.required("id")?.nonEmptyString, key = object.required("key")?.nonEmptyString, version = object.required("version")?.count(atLeast: 1)
        guard let id, let key, let value = object.required("value")?.value, let version else { return nil }
        return ContentProperty(id: id, key: key, value: value, version: version)
    }

    private static func version(_ node: JSONNode) -> ContentVersion? {
        guard let object = node.object(keys: ["number", "when", "authorId", "message", "minorEdit"]) else { return nil }
        let number = object.required("number")?.count(atLeast: 1), when = object.required("when")?.time
        let message = object.required("message")?.string, minorEdit = object.required("minorEdit")?.bool
        guard let number, let when, let message, let minorEdit else { return nil }
        return ContentVersion(number: number, when: when, authorId: object.nullable("authorId")?.string, message: message, minorEdit: minorEdit)
    }

    private static func file(_ node: JSONNode) -> AttachmentFile? {
        guard let object = node.object(keys: ["mediaType", "data", "comment"]) else { return nil }
        let mediaType = object.required("mediaType")?.nonEmptyString, comment = object.required("comment")?.string
        guard let text = object.required("data")?.string else { return nil }
        guard let data = Base64.decode(text) else {
            node.report("file data must be base64")
            return nil
        }
        guard let mediaType, let comment else { return nil }
        return AttachmentFile(mediaType: mediaType, data: data, comment: comment)
    }
}
