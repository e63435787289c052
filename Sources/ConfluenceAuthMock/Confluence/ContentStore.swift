import AuthMockFormats

/// What a content item is: Confluence's content types the mock keeps.
enum ContentKind: String, Sendable, Equatable, CaseIterable {
    case page, blogpost, comment, attachment
}

/// A set of content kinds, which a lookup accepts (no array allocated per request).
struct ContentKinds: OptionSet, Sendable {
    let rawValue: UInt8
    static let page = ContentKinds(rawValue: 1), blogpost = ContentKinds(rawValue: 2), comment = ContentKinds(rawValue: 4)
    static let attachment = ContentKinds(rawValue: 8), all: ContentKinds = [.page, .blogpost, .comment, .attachment]

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init(_ kind: ContentKind) {
        switch kind {
        case .page: self = .page
        case .blogpost: self = .blogpost
        case .comment: self = .comment
        case .attachment: self = .attachment
        }
    }
}

/// Where a content item is in its life: in its space, or in the space's trash (`DELETE` moves it
/// there; a second `DELETE` with `status=trashed` or `purge=true` removes it for good).
enum ContentStatus: String, Sendable, Equatable, CaseIterable {
    case current, trashed
}

/// One version of a content item, as `/version` lists it.
struct ContentVersion: Sendable, Equatable {
    var number: Int
    var when: Double
    var authorId: String?
    var message: String
    var minorEdit: Bool
}

/// A content property: a key, a JSON value, and a version that each update must increment.
struct ContentProperty: Sendable, Equatable {
    var id: String
    var key: String
    var value: JSONValue
    var version: Int
}

/// An attachment's file.
struct AttachmentFile: Sendable, Equatable {
    var mediaType: String
    var data: [UInt8]
    var comment: String
}

/// A content item as the running mock holds it: the scenario's pages, then whatever clients write
/// (pages, blog posts, comments, attachments), with their versions, labels and properties.
struct StoredContent: Sendable, Equatable {
    var id: String
    var kind: ContentKind = .page
    var status: ContentStatus = .current
    var title: String
    var body: String
    var spaceKey: String
    /// The current version's number.
    var version: Int
    var createdAt: Double
    var authorId: String?
    /// A page's parent page; a comment's or an attachment's container.
    var parentId: String?
    var labels: [String] = []
    var properties: [ContentProperty] = []
    /// Every version, oldest first, the current one last.
    var versions: [ContentVersion] = []
    var file: AttachmentFile?
    /// An inline comment's selected text; `nil` for a footer comment and every other kind.
    var inlineSelection: String?

    init(id: String, kind: ContentKind = .page, title: String, body: String, spaceKey: String, version: Int = 1, createdAt: Double,
         authorId: String?, parentId: String? = nil, file: AttachmentFile? = nil) {
        self.id = id
        self.kind = kind
        self.title = title
        self.body = body
        self.spaceKey = spaceKey
        self.version = version
        self.createdAt = createdAt
        self.authorId = authorId
        self.parentId = parentId
        self.file = file
        versions = [ContentVersion(number: version, when: createdAt, authorId: authorId, message: "", minorEdit: false)]
    }

    /// The current version (every item has one; an item read from an old saved state without a
    /// list of versions gets one made from its number and creation).
    var currentVersion: ContentVersion {
        versions.last ?? ContentVersion(number: version, when: createdAt, authorId: authorId, message: "", minorEdit: false)
    }

    /// When the current version was made.
    var updatedAt: Double { versions.last?.when ?? createdAt }
}

/// The running content of every site: what reads see and writes change. `POST /__admin/reset`
/// and a new scenario start it again from the scenario. Not capped: it is what the clients wrote,
/// as on a real site (docs/reliability.md).
struct ContentStore: Sendable {
    /// Site name → content in creation order.
    private(set) var items: [String: [StoredContent]] = [:]
    /// Site name → space key → a name given by `PUT /wiki/rest/api/space/{key}`.
    private(set) var spaceNames: [String: [String: String]] = [:]
    /// The next id for content, labels and properties (numeric, after every id the scenario used).
    private(set) var nextID = 1

    /// Content as a saved state holds it.
    init(items: [String: [StoredContent]], spaceNames: [String: [String: String]], nextID: Int) {
        self.items = items
        self.spaceNames = spaceNames
        self.nextID = nextID
    }

    init(_ scenario: Scenario, now: Double) {
        for site in scenario.sites {
            items[site.name] = site.spaces.flatMap { space in
                space.pages.map { StoredContent(id: $0.id, title: $0.title, body: $0.body, spaceKey: space.key, createdAt: now, authorId: nil) }
            }
        }
        let highest = scenario.sites.flatMap { $0.spaces.flatMap { $0.pages.compactMap { Int($0.id) } } }.max() ?? 0
        nextID = max(highest + 1, 10_001)
    }

    /// The site's spaces as they are now (names changed by writes included).
    func spaces(of site: Site) -> [Space] { site.spaces.map { current($0, on: site) } }

    /// One space of the site as it is now, found without building the whole list.
    func space(_ key: String, of site: Site) -> Space? { site.spaces.first { $0.key == key }.map { current($0, on: site) } }

    /// The scenario's space with the name a write gave it.
    private func current(_ space: Space, on site: Site) -> Space {
        var current = space
        if let name = spaceNames[site.name]?[space.key] { current.name = name }
        return current
    }

    mutating func rename(space key: String, onSite site: String, to name: String) { spaceNames[site, default: [:]][key] = name }

    // MARK: Reading

    /// The site's content of `kind` (every kind when `nil`), in `space` when given, with `status`.
    func items(onSite site: String, kind: ContentKind? = .page, inSpace space: String? = nil, status: ContentStatus = .current) -> [StoredContent] {
        (items[site] ?? []).filter { (kind == nil || $0.kind == kind) && (space == nil || $0.spaceKey == space) && $0.status == status }
    }

    /// One item by id, whatever its kind or status.
    func item(onSite site: String, id: String) -> StoredContent? { items[site]?.first { $0.id == id } }

    /// The current items whose parent or container is `id`, of `kind`.
    func children(onSite site: String, of id: String, kind: ContentKind) -> [StoredContent] {
        (items[site] ?? []).filter { $0.parentId == id && $0.kind == kind && $0.status == .current }
    }

    /// A page's ancestors, the root first.
    func ancestors(onSite site: String, of item: StoredContent) -> [StoredContent] {
        var chain: [StoredContent] = [], seen: Set<String> = [item.id]
        var parent = item.kind == .page ? item.parentId : nil
        while let id = parent, !seen.contains(id), let found = self.item(onSite: site, id: id) {
            chain.insert(found, at: 0)
            seen.insert(id)
            parent = found.parentId
        }
        return chain
    }

    // MARK: Writing

    /// Adds an item with a new id at version 1.
    mutating func create(onSite site: String, kind: ContentKind = .page, spaceKey: String, title: String, body: String, parentId: String? = nil,
                         authorId: String?, now: Double, file: AttachmentFile? = nil, inlineSelection: String? = nil) -> StoredContent {
        // Attachment ids carry Confluence's `att` prefix.
        var item = StoredContent(id: (kind == .attachment ? "att" : "") + takeID(), kind: kind, title: title, body: body, spaceKey: spaceKey, createdAt: now, authorId: authorId,
                                 parentId: parentId, file: file)
        item.inlineSelection = inlineSelection
        items[site, default: []].append(item)
        return item
    }

    /// A fresh id for content, a label or a property.
    mutating func takeID() -> String {
        defer { nextID += 1 }
        return String(nextID)
    }

    /// What an update came to.
    enum Update {
        case updated(StoredContent)
        case missing
        /// Another update got there first: the item is at this version now.
        case conflict(currentVersion: Int)
    }

    /// Replaces an item's title and body (and, for an attachment, its file) if it is still at
    /// `version` (checked under the same lock as the write, so two concurrent updates from one
    /// version cannot both succeed), recording the new version.
    mutating func update(onSite site: String, id: String, from version: Int, title: String, body: String, authorId: String? = nil,
                         message: String = "", minorEdit: Bool = false, file: AttachmentFile? = nil, now: Double = 0) -> Update {
        modify(onSite: site, id: id) { item in
            guard item.version == version else { return .conflict(currentVersion: item.version) }
            item.title = title
            item.body = body
            if let file { item.file = file }
            item.version += 1
            item.versions.append(ContentVersion(number: item.version, when: max(now, item.updatedAt), authorId: authorId, message: message, minorEdit: minorEdit))
            item.status = .current
            return .updated(item)
        } ?? .missing
    }

    /// Moves an item (and what it contains) to the trash, or, already there, removes it.
    mutating func trash(onSite site: String, id: String) { _ = modify(onSite: site, id: id) { $0.status = .trashed } }

    /// Removes an item and everything it contains for good.
    mutating func purge(onSite site: String, id: String) {
        let contained = (items[site] ?? []).filter { $0.parentId == id && $0.kind != .page }.map(\.id)
        items[site]?.removeAll { $0.id == id }
        for child in contained { purge(onSite: site, id: child) }
    }

    /// Applies `change` to the item with `id`; `nil` when there is none.
    mutating func modify<Result>(onSite site: String, id: String, _ change: (inout StoredContent) -> Result) -> Result? {
        guard let index = items[site]?.firstIndex(where: { $0.id == id }), var item = items[site]?[index] else { return nil }
        let result = change(&item)
        items[site]?[index] = item
        return result
    }
}
