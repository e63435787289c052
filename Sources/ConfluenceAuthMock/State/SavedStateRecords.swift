import AuthMockCrypto
import AuthMockFormats

// How each part of a mock's run-time state is written into a saved state and read back
// (docs/state.md). Reading goes through the scenario reader, so a bad file is reported with the
// JSON path of every problem, and a part that fails to read is left out rather than guessed.

func jsonOrNull(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
private func jsonStrings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

extension ObjectReader {
    /// The member when present and not `null`.
    func nullable(_ key: String) -> JSONNode? { optional(key).flatMap { $0.value == .null ? nil : $0 } }
}

extension JSONNode {
    /// The largest counter or id a saved state may carry: far enough from `Int.max` that every
    /// later `+ 1` (a request counted, a page created, a version bumped) stays clear of overflow.
    static let largestCount = 1 << 40

    /// A whole number from `minimum` to ``largestCount``.
    func count(atLeast minimum: Int) -> Int? {
        guard let value = int(atLeast: minimum) else { return nil }
        guard value <= Self.largestCount else {
            report("expected at most \(Self.largestCount), found \(value)")
            return nil
        }
        return value
    }

    /// Seconds since 1970 from year 0000 to year 9999, the times ISO-8601 can name (and the
    /// scenario clock can reach): times are formatted and turned into whole seconds later.
    var time: Double? {
        guard let value = number else { return nil }
        guard SavedState.times.contains(value) else {
            report("expected seconds since 1970 within the years 0000 to 9999, found \(value)")
            return nil
        }
        return value
    }

    /// An object used as a map whose values are all read by `read`.
    func map<T>(_ read: (JSONNode) -> T?) -> [String: T]? {
        guard let members = map else { return nil }
        var result: [String: T] = [:]
        for member in members { if let value = read(member.node) { result[member.key] = value } }
        return result
    }
}

extension GrantTerms {
    var savedJSON: JSONValue {
        ["accountId": .string(accountId), "clientId": .string(clientId), "scopes": jsonStrings(scopes), "sites": jsonStrings(sites)]
    }

    init?(saved node: JSONNode) {
        guard let object = node.object(keys: ["accountId", "clientId", "scopes", "sites"]) else { return nil }
        let accountId = object.required("accountId")?.string, clientId = object.required("clientId")?.string
        let scopes = object.required("scopes")?.strings, sites = object.required("sites")?.strings
        guard let accountId, let clientId, let scopes, let sites else { return nil }
        self.init(accountId: accountId, clientId: clientId, scopes: scopes, sites: sites)
    }
}

extension MockConfluence.AccessGrant {
    var savedJSON: JSONValue {
        let forge: JSONValue = forge.map { ["appId": .string($0.appId), "installationId": .string($0.installationId), "kind": .string($0.kind.rawValue)] } ?? .null
        return ["terms": terms.savedJSON, "issuedAt": .double(issuedAt), "expiresAt": .double(expiresAt),
                "appKey": jsonOrNull(appKey), "clientKey": jsonOrNull(clientKey), "forge": forge]
    }

    init?(saved node: JSONNode) {
        guard let object = node.object(keys: ["terms", "issuedAt", "expiresAt", "appKey", "clientKey", "forge"]) else { return nil }
        let terms = object.required("terms").flatMap(GrantTerms.init(saved:))
        let issuedAt = object.required("issuedAt")?.time, expiresAt = object.required("expiresAt")?.time
        let forge = object.nullable("forge").map(ForgeGrant.init(saved:))
        guard let terms, let issuedAt, let expiresAt, forge != .some(nil) else { return nil }
        self.init(terms, issuedAt: issuedAt, expiresAt: expiresAt, appKey: object.nullable("appKey")?.string,
                  clientKey: object.nullable("clientKey")?.string, forge: forge ?? nil)
    }
}

extension ForgeGrant {
    init?(saved node: JSONNode) {
        guard let object = node.object(keys: ["appId", "installationId", "kind"]) else { return nil }
        let appId = object.required("appId")?.string, installationId = object.required("installationId")?.string
        let kind = object.required("kind")?.oneOf(ForgeTokenKind.self, "token kind")
        guard let appId, let installationId, let kind else { return nil }
        self.init(appId: appId, installationId: installationId, kind: kind)
    }
}

extension TokenStore.Archive {
    var savedJSON: JSONValue {
        let access = accessTokens.map { entry -> JSONValue in ["token": .string(entry.token), "grant": entry.grant.savedJSON, "family": jsonOrNull(entry.family)] }
        let refresh = refreshTokens.map { entry -> JSONValue in
            ["token": .string(entry.token), "family": .string(entry.grant.family), "terms": entry.grant.terms.savedJSON,
             "issuedAt": .double(entry.grant.issuedAt), "rotatedAt": entry.grant.rotatedAt.map { .double($0) } ?? .null]
        }
        let codes = codes.map { entry -> JSONValue in
            let code = entry.grant
            return ["code": .string(entry.code), "terms": code.terms.savedJSON, "redirectUri": .string(code.redirectUri), "expiresAt": .double(code.expiresAt),
                    "used": .bool(code.used), "issuedAccessTokens": jsonStrings(code.issuedAccessTokens), "family": jsonOrNull(code.family), "replayed": .bool(code.replayed),
                    "resource": jsonOrNull(code.resource)]
        }
        let consents = consents.map { consent -> JSONValue in
            ["id": .string(consent.id), "terms": consent.terms.savedJSON, "redirectUri": .string(consent.redirectUri), "state": jsonOrNull(consent.state),
             "csrfToken": .string(consent.csrfToken), "resource": jsonOrNull(consent.resource)]
        }
        return .object(JSONObject([("accessTokens", .array(access)), ("refreshTokens", .array(refresh)),
                                   ("familyLastUsed", .object(JSONObject(familyLastUsed.sorted { $0.key < $1.key }.map { ($0.key, .double($0.value)) }))),
                                   ("codes", .array(codes)), ("consents", .array(consents))]))
    }

    init?(saved node: JSONNode) {
        guard let object = node.object(keys: ["accessTokens", "refreshTokens", "familyLastUsed", "codes", "consents"]) else { return nil }
        let access = object.required("accessTokens")?.array(Self.accessToken)
        let refresh = object.required("refreshTokens")?.array(Self.refreshToken)
        let lastUsed = object.required("familyLastUsed")?.map { $0.time }
        let codes = object.required("codes")?.array(Self.code)
        let consents = object.required("consents")?.array(Self.consent)
        guard let access, let refresh, let lastUsed, let codes, let consents else { return nil }
        self.init(accessTokens: access, refreshTokens: refresh, familyLastUsed: lastUsed, codes: codes, consents: consents)
    }

    private static func accessToken(_ node: JSONNode) -> (token: String, grant: AccessGrant, family: String?)? {
        guard let object = node.object(keys: ["token", "grant", "family"]) else { return nil }
        let token = object.required("token")?.nonEmptyString, grant = object.required("grant").flatMap(AccessGrant.init(saved:))
        guard let token, let grant else { return nil }
        return (token, grant, object.nullable("family")?.string)
    }

    private static func refreshToken(_ node: JSONNode) -> (token: String, grant: RefreshGrant)? {
        guard let object = node.object(keys: ["token", "family", "terms", "issuedAt", "rotatedAt"]) else { return nil }
        let token = object.required("token")?.nonEmptyString, family = object.required("family")?.string
        let terms = object.required("terms").flatMap(GrantTerms.init(saved:)), issuedAt = object.required("issuedAt")?.time
        guard let token, let family, let terms, let issuedAt else { return nil }
        return (token, RefreshGrant(family: family, terms: terms, issuedAt: issuedAt, rotatedAt: object.nullable("rotatedAt")?.time))
    }

    private static func code(_ node: JSONNode) -> (code: String, grant: AuthorizationCode)? {
        let keys = ["code", "terms", "redirectUri", "expiresAt", "used", "issuedAccessTokens", "family", "replayed", "resource"]
        guard let object = node.object(keys: keys) else { return nil }
        let value = object.required("code")?.nonEmptyString, terms = object.required("terms").flatMap(GrantTerms.init(saved:))
        let redirectUri = object.required("redirectUri")?.string, expiresAt = object.required("expiresAt")?.time
        let used = object.required("used")?.bool, issued = object.required("issuedAccessTokens")?.strings, replayed = object.required("replayed")?.bool
        guard let value, let terms, let redirectUri, let expiresAt, let used, let issued, let replayed else { return nil }
        return (value, AuthorizationCode(terms: terms, redirectUri: redirectUri, expiresAt: expiresAt, resource: object.nullable("resource")?.string,
                                         used: used, issuedAccessTokens: issued, family: object.nullable("family")?.string, replayed: replayed))
    }

    private static func consent(_ node: JSONNode) -> PendingConsent? {
        guard let object = node.object(keys: ["id", "terms", "redirectUri", "state", "csrfToken", "resource"]) else { return nil }
        let id = object.required("id")?.nonEmptyString, terms = object.required("terms").flatMap(GrantTerms.init(saved:))
        let redirectUri = object.required("redirectUri")?.string, csrfToken = object.required("csrfToken")?.nonEmptyString
        guard let id, let terms, let redirectUri, let csrfToken else { return nil }
        return PendingConsent(id: id, terms: terms, redirectUri: redirectUri, state: object.nullable("state")?.string, csrfToken: csrfToken,
                              resource: object.nullable("resource")?.string)
    }
}

extension ConnectRuntime {
    var savedJSON: JSONValue {
        func sortedObject(_ values: [String: JSONValue]) -> JSONValue { .object(JSONObject(values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })) }
        return .object(JSONObject([("secrets", sortedObject(secrets.mapValues { .string($0) })),
                                   ("statuses", sortedObject(statuses.mapValues { .string($0.rawValue) })),
                                   ("deliveries", sortedObject(deliveries.mapValues(\.json)))]))
    }

    init?(saved node: JSONNode) {
        guard let object = node.object(keys: ["secrets", "statuses", "deliveries"]) else { return nil }
        let secrets = object.required("secrets")?.map { $0.nonEmptyString }
        let statuses = object.required("statuses")?.map { $0.oneOf(ConnectInstallationStatus.self, "installation status") }
        let deliveries = object.required("deliveries")?.map(LifecycleDelivery.init(saved:))
        guard let secrets, let statuses, let deliveries else { return nil }
        self.init(secrets: secrets, statuses: statuses, deliveries: deliveries)
    }
}

extension LifecycleDelivery {
    init?(saved node: JSONNode) {
        guard let object = node.object(keys: ["event", "delivered", "status", "body", "url", "error", "installation"]) else { return nil }
        let event = object.required("event")?.oneOf(LifecycleEvent.self, "lifecycle event"), delivered = object.required("delivered")?.bool
        let body = object.required("body")?.string, installation = object.required("installation")?.oneOf(ConnectInstallationStatus.self, "installation status")
        guard let event, let delivered, let body, let installation else { return nil }
        self.init(event: event, delivered: delivered, status: object.nullable("status")?.int, body: body, url: object.nullable("url")?.string,
                  error: object.nullable("error")?.string, installation: installation)
    }
}

extension FaultCounter {
    init(seen: Int, fired: Int, random: SeededRandom) {
        self.seen = seen
        self.fired = fired
        self.random = random
    }

    var savedJSON: JSONValue { ["seen": .int(seen), "fired": .int(fired), "random": .string(String(random.state))] }

    init?(saved node: JSONNode) {
        guard let object = node.object(keys: ["seen", "fired", "random"]) else { return nil }
        let seen = object.required("seen")?.count(atLeast: 0), fired = object.required("fired")?.count(atLeast: 0)
        let random = object.required("random").flatMap { node in
            node.string.flatMap { text in UInt64(text) ?? { node.report("expected a whole number from 0 to 2^64-1 as a string"); return nil }() }
        }
        guard let seen, let fired, let random else { return nil }
        self.init(seen: seen, fired: fired, random: SeededRandom(seed: random))
    }
}

extension RateWindow {
    init(start: Double, end: Double, count: Int) {
        self.start = start
        self.end = end
        self.count = count
    }

    var savedJSON: JSONValue { ["start": .double(start), "end": .double(end), "count": .int(count)] }

    init?(saved node: JSONNode) {
        guard let object = node.object(keys: ["start", "end", "count"]) else { return nil }
        let start = object.required("start")?.time, end = object.required("end")?.time, count = object.required("count")?.count(atLeast: 0)
        guard let start, let end, let count else { return nil }
        self.init(start: start, end: end, count: count)
    }
}

extension SigningKeys {
    /// Every key, the process's own included, so a restored mock signs as this one does.
    var savedJSON: JSONValue {
        .object(JSONObject(Purpose.allCases.map { purpose in
            let key = self[purpose]
            return (purpose.rawValue, ["pem": jsonOrNull(try? key.privateKey.pkcs8PEM()), "kid": jsonOrNull(key.keyID)])
        }))
    }

    init?(saved node: JSONNode) {
        guard let object = node.object(keys: Purpose.allCases.map(\.rawValue)) else { return nil }
        var fixed: [Purpose: RS256SigningKey] = [:]
        for purpose in Purpose.allCases {
            guard let entry = object.required(purpose.rawValue), let members = entry.object(keys: ["pem", "kid"]) else { continue }
            guard let pemNode = members.required("pem"), let pem = pemNode.string else { continue }
            do {
                fixed[purpose] = RS256SigningKey(try RSAPrivateKey(pem: pem), keyID: members.nullable("kid")?.string)
            } catch {
                pemNode.report("not a usable RSA private key: \(error)")
            }
        }
        guard fixed.count == Purpose.allCases.count else { return nil }
        self.init(fixed: fixed)
    }
}
