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

    init(_ scenario: Scenario, now: Double) {
        for site in scenario.sites {
            pages[site.name] = site.spaces.flatMap { space in
                space.pages.map { StoredPage(id: $0.id, title: $0.title, body: $0.body, spaceKey: space.key, version: 1, createdAt: now, authorId: nil) }
            }
        }
    }

    func pages(onSite site: String, inSpace space: String? = nil) -> [StoredPage] {
        (pages[site] ?? []).filter { space == nil || $0.spaceKey == space }
    }

    func page(onSite site: String, id: String) -> StoredPage? { pages[site]?.first { $0.id == id } }
}
