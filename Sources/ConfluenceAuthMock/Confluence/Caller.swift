/// Who is calling, once credentials are checked.
enum Caller: Equatable {
    case anonymous
    case user(User)
    /// A Connect app's user on one site: its permissions (`nil`: every permission on every space).
    case app(key: String, permissions: SpacePermissions?)

    var accountId: String? { if case .user(let user) = self { user.accountId } else { nil } }

    /// Space permissions on `site`: the user's own, or `view` on spaces open to anonymous users
    /// of a site that allows them.
    func can(_ permission: SpacePermission, in spaceKey: String, on site: Site) -> Bool {
        switch self {
        case .user(let user):
            return user.sites[site.name]?[spaceKey]?.contains(permission) ?? false
        case .anonymous:
            return permission == .view && site.anonymousAccess && site.spaces.contains { $0.key == spaceKey && $0.anonymousAccess }
        case .app(_, let permissions):
            guard let permissions else { return site.spaces.contains { $0.key == spaceKey } }
            return permissions[spaceKey]?.contains(permission) ?? false
        }
    }
}
