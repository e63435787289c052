/// Every code and token a mock has issued. Reset empties it; a new scenario starts with a new one.
///
/// It stays bounded under any traffic (docs/reliability.md "Bounded state"): ``prune(now:settings:)``,
/// which the server runs every few seconds, drops what has expired on the scenario clock, and the
/// collections that do not expire are capped.
struct TokenStore: Sendable {
    /// Pending consents kept at most; a new one beyond this drops the oldest.
    static let consentCapacity = 1_000
    /// Refresh tokens of one family kept at most: the oldest rotations beyond it are let go (using
    /// one then answers as an unknown token instead of revoking the family).
    static let rotationsKept = 100
    /// Unexpired access tokens held at most: minting past it drops the oldest (then answered as
    /// an unknown token). At the fastest measured minting, an hour's tokens stay well under it.
    static let defaultAccessTokenCapacity = 200_000
    let accessTokenCapacity: Int

    init(accessTokenCapacity: Int = Self.defaultAccessTokenCapacity) { self.accessTokenCapacity = accessTokenCapacity }

    private var accessTokens: [TokenKey: AccessGrant] = [:]
    /// Access tokens in the order issued, oldest first from `issueOrderStart` (some since gone).
    private var issueOrder: [TokenKey] = []
    private var issueOrderStart = 0
    private var refreshTokens: [String: RefreshGrant] = [:]
    private(set) var codes: [String: AuthorizationCode] = [:]
    /// Authorization requests waiting for consent, by id, and their ids oldest first.
    private(set) var consents: [String: PendingConsent] = [:]
    private var consentOrder: [String] = []
    /// Family → access tokens issued in it (revoked with the family).
    private var familyAccessTokens: [String: [String]] = [:]
    /// Family → its refresh tokens, oldest first.
    private var familyRefreshTokens: [String: [String]] = [:]
    /// Family → the last time one of its tokens was used (for inactivity expiry).
    private var familyLastUsed: [String: Double] = [:]
    /// What pruned access tokens were, so they are still answered as expired.
    private var expired = ExpiredGrants()
    /// What revoked access tokens were, so inspecting one can say it was revoked.
    private var revoked = ExpiredGrants()
    /// No entry expires before this scenario time, so a prune before it has nothing to do.
    private var earliestDeadline = Double.infinity

    mutating func issue(_ grant: AccessGrant, token: String, family: String? = nil) {
        accessTokens[TokenKey(token)] = grant
        issueOrder.append(TokenKey(token))
        if let family { familyAccessTokens[family, default: []].append(token) }
        earliestDeadline = min(earliestDeadline, grant.expiresAt)
        while accessTokens.count > accessTokenCapacity && issueOrderStart < issueOrder.count {
            accessTokens[issueOrder[issueOrderStart]] = nil
            issueOrderStart += 1
        }
        if issueOrderStart > 1_024 && issueOrderStart * 2 > issueOrder.count { compactIssueOrder() }
    }

    /// Forgets the issue order of tokens no longer held.
    private mutating func compactIssueOrder() {
        issueOrder = issueOrder[issueOrderStart...].filter { accessTokens[$0] != nil }
        issueOrderStart = 0
    }

    mutating func issue(_ grant: RefreshGrant, token: String, inactivity: Double) {
        refreshTokens[token] = grant
        familyRefreshTokens[grant.family, default: []].append(token)
        if let rotations = familyRefreshTokens[grant.family], rotations.count > Self.rotationsKept {
            refreshTokens[rotations[0]] = nil
            familyRefreshTokens[grant.family] = Array(rotations.dropFirst())
        }
        familyLastUsed[grant.family] = grant.issuedAt
        earliestDeadline = min(earliestDeadline, grant.issuedAt + inactivity)
    }

    mutating func issue(_ code: AuthorizationCode, value: String) {
        codes[value] = code
        earliestDeadline = min(earliestDeadline, code.expiresAt)
    }

    mutating func updateCode(_ value: String, _ change: (inout AuthorizationCode) -> Void) { if codes[value] != nil { change(&codes[value]!) } }

    /// Expired at and after `expiresAt` on the scenario clock.
    func status(of token: String, now: Double) -> AccessTokenStatus {
        if let grant = accessTokens[TokenKey(lookingUp: token)] { return now < grant.expiresAt ? .valid(grant) : .expired(grant) }
        return expired.grant(of: token).map(AccessTokenStatus.expired) ?? .unknown
    }

    func refreshGrant(_ token: String) -> RefreshGrant? { refreshTokens[token] }
    func lastUsed(family: String) -> Double? { familyLastUsed[family] }

    mutating func markRotated(_ token: String, at time: Double) {
        if refreshTokens[token]?.rotatedAt == nil { refreshTokens[token]?.rotatedAt = time }
        if let family = refreshTokens[token]?.family { familyLastUsed[family] = time }
    }

    /// What the store knows of `token`, for inspection: an access token's status and refresh
    /// family, a revoked access token's grant, or a refresh token's grant.
    func inspect(_ token: String, now: Double) -> StoredToken {
        switch status(of: token, now: now) {
        case .unknown:
            if let grant = revoked.grant(of: token) { return .revoked(grant) }
            return refreshTokens[token].map(StoredToken.refresh) ?? .none
        case let status:
            return .access(status, family: familyAccessTokens.first { $0.value.contains(token) }?.key)
        }
    }

    // MARK: Consents

    mutating func addConsent(_ consent: PendingConsent) {
        if consents.updateValue(consent, forKey: consent.id) == nil { consentOrder.append(consent.id) }
        while consentOrder.count > Self.consentCapacity { consents[consentOrder.removeFirst()] = nil }
    }

    mutating func takeConsent(_ id: String) -> PendingConsent? {
        guard let consent = consents.removeValue(forKey: id) else { return nil }
        consentOrder.removeAll { $0 == id }
        return consent
    }

    // MARK: Revoking

    /// Revokes access tokens by value.
    mutating func revokeAccessTokens(_ tokens: [String]) {
        for token in tokens {
            if let grant = accessTokens.removeValue(forKey: TokenKey(token)) { revoked.remember(token, grant) }
            expired.forget(token)
        }
    }

    /// Revokes every refresh token of a family and the access tokens issued in it.
    mutating func revokeFamily(_ family: String) {
        revokeAccessTokens(familyAccessTokens[family] ?? [])
        dropFamily(family)
    }

    /// Forgets a family's refresh tokens and bookkeeping; its access tokens are left alone.
    private mutating func dropFamily(_ family: String) {
        for token in familyRefreshTokens[family] ?? [] { refreshTokens[token] = nil }
        familyRefreshTokens[family] = nil
        familyAccessTokens[family] = nil
        familyLastUsed[family] = nil
    }

    /// Revokes the grants whose terms match: their access tokens, refresh families and pending codes.
    mutating func revoke(where matches: (GrantTerms) -> Bool) -> Revocation {
        let families = Set(refreshTokens.values.filter { matches($0.terms) }.map(\.family))
        let refreshCount = families.reduce(0) { $0 + (familyRefreshTokens[$1]?.count ?? 0) }
        let accessCountBefore = accessTokens.count
        families.forEach { revokeFamily($0) }
        revokeAccessTokens(accessTokens.filter { matches($0.value.terms) }.map(\.key.token))
        let pending = codes.filter { !$0.value.used && matches($0.value.terms) }.map(\.key)
        pending.forEach { codes[$0] = nil }
        return Revocation(accessTokens: accessCountBefore - accessTokens.count, refreshTokens: refreshCount, codes: pending.count)
    }

    // MARK: Pruning

    /// How many entries the store holds, by kind (what pruning keeps in check).
    var counts: (accessTokens: Int, refreshTokens: Int, codes: Int, consents: Int, expiredGrants: Int) {
        (accessTokens.count, refreshTokens.count, codes.count, consents.count, expired.count)
    }

    /// Drops what has expired at `now` on the scenario clock: access tokens (remembered as expired
    /// in a bounded ring, see ``ExpiredGrants``), codes, and refresh families unused for the
    /// inactivity period. A code presented after it was dropped is refused as an unknown code is,
    /// without the revocation a replayed code triggers.
    mutating func prune(now: Double, settings: TokenSettings) {
        guard now >= earliestDeadline else { return }
        var next = Double.infinity
        for (key, grant) in accessTokens {
            if grant.expiresAt <= now {
                accessTokens[key] = nil
                expired.remember(key.token, grant)
            } else {
                next = min(next, grant.expiresAt)
            }
        }
        codes = codes.filter { now < $0.value.expiresAt }
        next = codes.values.reduce(next) { min($0, $1.expiresAt) }
        let inactivity = Double(settings.refreshTokenInactivity)
        for (family, lastUsed) in familyLastUsed {
            if now >= lastUsed + inactivity { dropFamily(family) } else { next = min(next, lastUsed + inactivity) }
        }
        forgetExpiredFamilyTokens()
        compactIssueOrder()
        earliestDeadline = next
    }

    /// Keeps in each family's list only the access tokens still held.
    private mutating func forgetExpiredFamilyTokens() {
        for (family, tokens) in familyAccessTokens {
            let held = tokens.filter { accessTokens[TokenKey($0)] != nil }
            if held.count < tokens.count { familyAccessTokens[family] = held }
        }
    }
}

extension TokenStore {
    /// What a store holds that a saved state carries: every live entry, access tokens in the order
    /// they were issued. The memory of pruned, expired tokens is not carried (after a restore such
    /// a token is answered as unknown, with the same status and body).
    struct Archive {
        var accessTokens: [(token: String, grant: AccessGrant, family: String?)] = []
        /// Each family's refresh tokens, oldest first.
        var refreshTokens: [(token: String, grant: RefreshGrant)] = []
        var familyLastUsed: [String: Double] = [:]
        var codes: [(code: String, grant: AuthorizationCode)] = []
        /// Oldest first.
        var consents: [PendingConsent] = []
    }

    var archive: Archive {
        var familyOf: [String: String] = [:]
        for (family, tokens) in familyAccessTokens { for token in tokens { familyOf[token] = family } }
        var archive = Archive(familyLastUsed: familyLastUsed)
        for key in issueOrder[issueOrderStart...] {
            if let grant = accessTokens[key] { archive.accessTokens.append((key.token, grant, familyOf[key.token])) }
        }
        for family in familyRefreshTokens.keys.sorted() {
            for token in familyRefreshTokens[family] ?? [] {
                if let grant = refreshTokens[token] { archive.refreshTokens.append((token, grant)) }
            }
        }
        archive.codes = codes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        archive.consents = consentOrder.compactMap { consents[$0] }
        return archive
    }

    /// A store holding what `archive` holds (its bounds apply as to any other).
    init(_ archive: Archive) {
        self.init()
        for entry in archive.accessTokens { issue(entry.grant, token: entry.token, family: entry.family) }
        for entry in archive.refreshTokens {
            refreshTokens[entry.token] = entry.grant
            familyRefreshTokens[entry.grant.family, default: []].append(entry.token)
        }
        familyLastUsed = archive.familyLastUsed
        for entry in archive.codes { codes[entry.code] = entry.grant }
        archive.consents.forEach { addConsent($0) }
        // Unknown until the first prune looks at every entry.
        earliestDeadline = -.infinity
    }
}

/// What the token store knows of one token (``TokenStore/inspect(_:now:)``).
enum StoredToken {
    case access(AccessTokenStatus, family: String?)
    case revoked(AccessGrant)
    case refresh(RefreshGrant)
    case none
}

/// The grants of access tokens that expired and were pruned (or, in a second ring, were revoked),
/// found by a 64-bit fingerprint of the token, for the most recent ``capacity`` only. A recently expired token is then still answered
/// as expired (its journal reason, an impersonation token's Connect refusal) while the token itself,
/// most of the memory, is gone. An older one is answered as unknown, with the same status and body.
struct ExpiredGrants: Sendable {
    static let capacity = 10_000

    private var grants: [Int: AccessGrant] = [:]
    /// Fingerprints in the order remembered, reused as a ring once full.
    private var order: [Int] = []
    private var nextSlot = 0

    var count: Int { grants.count }

    mutating func remember(_ token: String, _ grant: AccessGrant) {
        let print = token.hashValue
        if order.count < Self.capacity {
            order.append(print)
        } else {
            grants[order[nextSlot]] = nil
            order[nextSlot] = print
            nextSlot = (nextSlot + 1) % Self.capacity
        }
        grants[print] = grant
    }

    func grant(of token: String) -> AccessGrant? { grants.isEmpty ? nil : grants[token.hashValue] }

    mutating func forget(_ token: String) {
        if !grants.isEmpty { grants[token.hashValue] = nil }
    }
}
