import AuthMockHTTP

/// The pipeline's gate between credentials and the handler: the route's scopes (docs/reference.md
/// §2.3, §4.6, §5.2) against what the verified principal holds. Space permissions are the
/// handler's, which knows which space the request touches once it has found the resource.
enum ScopeGate {
    /// `nil` when the principal may call the route (the journal's decision becomes `allowed`),
    /// else the answer its mechanism gets for a missing scope.
    static func refusal(_ principal: Principal, requirement: RouteRequirement, address: SiteAddress?, record: inout AuthRecord) -> HTTPResponse? {
        switch principal.scopes {
        case .unlimited:
            break
        case .oauth(let held, let lacking):
            let missing = requirement.missingScopes(held)
            guard missing.isEmpty else {
                return deny("scope does not match: \(lacking) \(missing.joined(separator: " "))" + (record.reason.map { " (\($0))" } ?? ""), record: &record)
            }
        case .connect(let held, let app, let signed):
            if requirement.closedToConnect {
                guard signed, let address else { return deny("scope does not match: no Connect app may call this operation", record: &record) }
                let failure = ConnectFailure(code: "scope", message: "The app \(app) may not call this operation: it is inaccessible to Connect apps")
                record.deny(failure.reason)
                return SiteAuthenticator.connectAnswer(failure, address: address, status: .forbidden)
            }
            guard let needed = requirement.connectScope, !needed.isImplied(by: held) else { break }
            guard signed, let address else { return deny("scope does not match: the app lacks \(needed.rawValue)", record: &record) }
            let failure = ConnectFailure(code: "scope", message: "The app \(app) lacks the Connect scope \(needed.rawValue) that this route requires")
            record.deny(failure.reason)
            return SiteAuthenticator.connectAnswer(failure, address: address, status: .forbidden)
        }
        record.decision = .allowed
        return nil
    }

    /// The gateway's 401 for a scope the credential lacks.
    private static func deny(_ reason: String, record: inout AuthRecord) -> HTTPResponse {
        record.deny(reason)
        return ConfluenceErrors.gateway(.unauthorized, "Unauthorized; scope does not match")
    }
}
