/// A page as the running mock holds it: the scenario's pages, then whatever clients write.
struct StoredPage: Sendable, Equatable {
    var id: String
    var title: String
    var body: String
    var spaceKey: String
    var version: Int
    var createdAt: Double
    var authorId: String?
}

/// The running content of every site: what reads see and writes change. `POST /__admin/reset`
/// and a new scenario start it again from the scenario.
struct ContentStore: Sendable {
    /// Site name → pages in order.
    private(set) var pages: [String: [StoredPage]] = [:]
    /// Site name → space key → a name given by `PUT /wiki/rest/api/space/{key}`.
    private(set) var spaceNames: [String: [String: String]] = [:]
    private(set) var nextPageID = 1

    /// Content as a saved state holds it.
    init(pages: [String: [StoredPage]], spaceNames: [String: [String: String]], nextPageID: Int) {
        self.pages = pages
        self.spaceNames = spaceNames
        self.nextPageID = nextPageID
    }

    init(_ scenario: Scenario, now: Double) {
        for site in scenario.sites {
            pages[site.name] = site.spaces.flatMap { space in
                space.pages.map { StoredPage(id: $0.id, title: $0.title, body: $0.body, spaceKey: space.key, version: 1, createdAt: now, authorId: nil) }
            }
        }
        let highest = scenario.sites.flatMap { $0.spaces.flatMap { $0.pages.compactMap { Int($0.id) } } }.max() ?? 0
        nextPageID = max(highest + 1, 10_001)
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

    /// Adds a page with a new id (numeric, after every id the scenario used) at version 1.
    mutating func create(onSite site: String, spaceKey: String, title: String, body: String, authorId: String?, now: Double) -> StoredPage {
        let page = StoredPage(id: String(nextPageID), title: title, body: body, spaceKey: spaceKey, version: 1, createdAt: now, authorId: authorId)
        nextPageID += 1
        pages[site, default: []].append(page)
        return page
    }

    /// What an update came to.
    enum Update {
        case updated(StoredPage)
        case missing
        /// Another update got there first: the page is at this version now.
        case conflict(currentVersion: Int)
    }

    /// Replaces a page's title and body if it is still at `version` (checked under the same lock
    /// as the write, so two concurrent updates from one version cannot both succeed).
    mutating func update(onSite site: String, id: String, from version: Int, title: String, body: String) -> Update {
        guard let index = pages[site]?.firstIndex(where: { $0.id == id }), var page = pages[site]?[index] else { return .missing }
        guard page.version == version else { return .conflict(currentVersion: page.version) }
        page.title = title
        page.body = body
        page.version += 1
        pages[site]?[index] = page
        return .updated(page)
    }

    mutating func delete(onSite site: String, id: String) { pages[site]?.removeAll { $0.id == id } }

    mutating func rename(space key: String, onSite site: String, to name: String) { spaceNames[site, default: [:]][key] = name }

    func pages(onSite site: String, inSpace space: String? = nil) -> [StoredPage] {
        (pages[site] ?? []).filter { space == nil || $0.spaceKey == space }
    }

    func page(onSite site: String, id: String) -> StoredPage? { pages[site]?.first { $0.id == id } }
}
