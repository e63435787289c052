/// OAuth 2.0 scope names the mock knows (docs/reference.md §2). Classic scopes are a closed list; granular
/// scopes follow `action:resource:confluence`, since Atlassian's full list is long and growing.
enum ScopeCatalog {
    static let classic: [String] = [
        "read:confluence-content.all", "read:confluence-content.summary", "read:confluence-content.permission",
        "write:confluence-content", "read:confluence-space.summary", "write:confluence-space",
        "read:confluence-props", "write:confluence-props", "write:confluence-file", "readonly:content.attachment:confluence",
        "search:confluence", "read:confluence-user", "read:confluence-groups", "write:confluence-groups",
        "manage:confluence-configuration",
    ]
    /// Scopes outside Confluence's own that 3LO apps and Forge manifests use.
    static let platform: [String] = ["read:me", "read:account", "offline_access", "read:app-system-token", "read:app-user-token"]
    static let granularActions: Set<String> = ["read", "write", "delete", "manage"]

    /// `true` for a granular Confluence scope such as `read:page:confluence`.
    static func isGranular(_ scope: String) -> Bool {
        let parts = scope.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 3 && granularActions.contains(String(parts[0])) && parts[2] == "confluence"
            && !parts[1].isEmpty && parts[1].allSatisfy { $0.isLowercase || $0 == "-" || $0 == "." }
    }

    /// Classic scopes that include others: Atlassian describes `read:confluence-content.all` as the
    /// summary of content plus its body, so a token holding it passes where the catalog asks for
    /// `read:confluence-content.summary` (most v1 content reads).
    static let implied: [String: [String]] = ["read:confluence-content.all": ["read:confluence-content.summary"]]

    /// `held` with the scopes its scopes imply.
    static func withImplied(_ held: [String]) -> [String] {
        guard held.contains(where: { implied[$0] != nil }) else { return held }
        return held + held.flatMap { implied[$0] ?? [] }
    }

    static func isKnown(_ scope: String) -> Bool {
        classic.contains(scope) || platform.contains(scope) || isGranular(scope)
    }
}

/// Connect app scopes (docs/reference.md §4.6), each implying the ones before it; `ACT_AS_USER` stands apart.
public enum ConnectScope: String, Sendable, Equatable, CaseIterable {
    case none = "NONE", read = "READ", write = "WRITE", delete = "DELETE", spaceAdmin = "SPACE_ADMIN", admin = "ADMIN"
    case actAsUser = "ACT_AS_USER", accessEmailAddresses = "ACCESS_EMAIL_ADDRESSES"

    /// The ladder `NONE < READ < WRITE < DELETE < SPACE_ADMIN < ADMIN`; `ACT_AS_USER` and `ACCESS_EMAIL_ADDRESSES` are off it.
    private static let ladder: [ConnectScope] = [.none, .read, .write, .delete, .spaceAdmin, .admin]

    /// Of `scopes`, the one highest on the ladder (which implies the others on it); an off-ladder
    /// scope when that is all there is.
    static func ladderTop(of scopes: [ConnectScope]) -> ConnectScope? {
        scopes.max { (ladder.firstIndex(of: $0) ?? -1) < (ladder.firstIndex(of: $1) ?? -1) }
    }

    /// Whether an app holding `scopes` may use a route needing `self` (each scope implies those below it).
    func isImplied(by scopes: [ConnectScope]) -> Bool {
        guard let needed = Self.ladder.firstIndex(of: self) else { return scopes.contains(self) }
        return scopes.contains { Self.ladder.firstIndex(of: $0).map { $0 >= needed } ?? false }
    }
}

extension JSONNode {
    /// An OAuth scope name the mock knows.
    var scope: String? {
        guard let text = string else { return nil }
        guard ScopeCatalog.isKnown(text) else {
            let suggestion = closestMatch(to: text, in: ScopeCatalog.classic + ScopeCatalog.platform).map { " (did you mean \"\($0)\"?)" } ?? ""
            report("unknown scope \"\(text)\"\(suggestion); expected a classic Confluence scope such as read:confluence-content.all, a granular scope such as read:page:confluence, or one of \(ScopeCatalog.platform.joined(separator: ", "))")
            return nil
        }
        return text
    }
}
