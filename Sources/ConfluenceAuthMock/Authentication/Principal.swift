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

extension Caller {
    /// Whether the caller may use `site` at all (Confluence's "Can use" global permission): a
    /// user the scenario gives access to it, an app installed there, anonymous users where the
    /// site allows them.
    func mayUse(_ site: Site) -> Bool {
        switch self {
        case .user(let user): user.sites[site.name] != nil
        case .anonymous: site.anonymousAccess
        case .app: true
        }
    }

    /// Whether the caller administers `site` (`siteAdmin` in the user's access to it). An app
    /// administers the site when its permissions are unrestricted.
    func administers(_ site: Site) -> Bool {
        switch self {
        case .user(let user): user.adminSites.contains(site.name)
        case .anonymous: false
        case .app(_, let permissions): permissions == nil
        }
    }
}

/// What a verified credential proved: who is calling, and the scopes the route gate weighs.
struct Principal {
    let caller: Caller
    let scopes: GrantedScopes

    /// A caller on a route anyone may call.
    static let open = Principal(caller: .anonymous, scopes: .unlimited)
}

/// The scopes a verified credential holds, in the form its mechanism is gated by.
enum GrantedScopes {
    /// Not limited by scopes: an unscoped API token, an anonymous caller.
    case unlimited
    /// OAuth scopes (a 3LO or Forge token, a scoped API token). A route passes with all of its
    /// classic or all of its granular scopes; otherwise the gateway's 401 "scope does not match",
    /// the journal saying what `lacking` ("missing", "the manifest lacks") and which scopes.
    case oauth([String], lacking: String = "missing")
    /// A Connect app's scopes: a route passes when they imply its Connect scope. A `signed`
    /// request (a JWT, an impersonation token) is refused 403 in the route's error shape; an app's
    /// client-credentials token gets the gateway's 401.
    case connect([ConnectScope], app: String, signed: Bool)
}
