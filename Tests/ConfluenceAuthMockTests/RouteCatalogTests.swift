import AuthMockHTTP
import Testing
@testable import ConfluenceAuthMock

/// The site routes against the operation catalog, over the whole table.
@Suite struct RouteCatalogTests {
    let table = CatalogRoutes.shared

    @Test func everyOperationIsRoutedAtItsPathWithItsRequirement() {
        let operations = OperationCatalog.shared.operations
        #expect(operations.count == 343)
        for operation in operations {
            let concrete = operation.path.replacing(/\{[^}]+\}/, with: "7")
            guard let (route, _) = table.route(method: operation.method, path: concrete) else {
                Issue.record("\(operation.key) is not routed at \(concrete)")
                continue
            }
            // Two documented paths can collide once their parameters are filled in; the literal wins.
            guard route.pattern.description == operation.path else { continue }
            #expect(route.handler.operation?.key == operation.key)
            let requirement = route.handler.requirement
            #expect(requirement.classicScopes == operation.classicScopes && requirement.granularScopes == operation.granularScopes, "\(operation.key)")
            #expect(requirement.closedToConnect == (operation.connectScope == "INACCESSIBLE"), "\(operation.key)")
            #expect(requirement.siteAdmin == (operation.permission == "site-admin"), "\(operation.key)")
        }
    }

    @Test func v2RoutesAcceptGranularScopesOnly() {
        for route in table.routes where route.pattern.description.hasPrefix("/wiki/api/v2/") {
            #expect(route.handler.requirement.classicScopes.isEmpty, "\(route.method ?? "*") \(route.pattern)")
            #expect(route.handler.requirement.granularScopes.allSatisfy(ScopeCatalog.isGranular))
        }
    }

    @Test func statefulOperationsAreTheContentModelsAndTheRestIsGenerated() {
        let stateful = table.routes.filter { $0.handler.operation != nil && !$0.handler.generated }.compactMap { $0.handler.operation?.key }
        #expect(stateful.count == 80)
        #expect(stateful.contains("v2 getPageById") && stateful.contains("v1 searchByCQL") && stateful.contains("v1 createAttachment"))
        #expect(table.routes.filter(\.handler.generated).count == 343 - stateful.count)
    }

    /// Every scope the catalog names is one the scenario validator accepts, so a scenario can grant it.
    @Test func everyScopeIsKnown() {
        for route in table.routes {
            #expect(route.handler.requirement.allScopes.allSatisfy(ScopeCatalog.isKnown), "\(route.pattern)")
        }
    }
}
