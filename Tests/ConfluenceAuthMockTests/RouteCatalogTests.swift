import AuthMockHTTP
import Testing
@testable import ConfluenceAuthMock

/// The catalog's own rules, checked over the whole table.
@Suite struct RouteCatalogTests {
    let catalog = Routes.siteTable(site: SiteRoutes(state: MockState(scenario: .bundledDefault, journalCapacity: 10)))

    @Test func v2RoutesAcceptGranularScopesOnly() {
        for route in catalog.routes where route.pattern.description.hasPrefix("/wiki/api/v2/") {
            #expect(route.handler.requirement.classicScopes.isEmpty, "\(route.method ?? "*") \(route.pattern)")
            #expect(route.handler.requirement.granularScopes.allSatisfy(ScopeCatalog.isGranular))
        }
    }

    /// Reads Atlassian exposes as `POST` (a body carries the ids to look up).
    static let lookupsByPOST = ["/wiki/api/v2/users-bulk"]

    @Test func everyGuardedRouteNamesScopesAndAPermission() {
        for route in catalog.routes where route.handler.requirement.needsCaller {
            let requirement = route.handler.requirement
            #expect(!requirement.granularScopes.isEmpty && requirement.permission != nil && requirement.connectScope != nil,
                    "\(route.method ?? "*") \(route.pattern)")
            #expect(requirement.allScopes.allSatisfy(ScopeCatalog.isKnown))
            if route.method != "GET" && !Self.lookupsByPOST.contains(route.pattern.description) {
                #expect(requirement.permission != .view, "writes need more than view: \(route.pattern)")
            }
        }
    }
}
