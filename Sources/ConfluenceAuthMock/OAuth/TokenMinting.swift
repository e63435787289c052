import AuthMockCrypto
import AuthMockFormats

extension MockConfluence {
    /// A request to mint tokens without the OAuth dance (`POST /__admin/tokens`, `MockConfluence.mintToken`).
    public struct TokenRequest: Sendable {
        /// Account id or email.
        public var user: String
        /// OAuth client id.
        public var client: String
        /// Default: every scope the client enables.
        public var scopes: [String]?
        /// Site names; default: the client's consent sites, else every site the user has.
        public var sites: [String]?
        /// Seconds; default: the scenario's `accessTokenLifetime`.
        public var expiresIn: Int?
        /// Issue a refresh token (adds `offline_access`); default: whether the scopes include `offline_access`.
        public var offline: Bool?
        /// A service account (account id or email) to mint a client-credentials token for, in place
        /// of `user`: `client` is then one of its OAuth credentials (empty: its first), `scopes`
        /// default to the credential's, `sites` to the account's, `expiresIn` to
        /// `serviceAccountTokenLifetime`; no refresh token.
        public var serviceAccount: String?

        public init(user: String, client: String, scopes: [String]? = nil, sites: [String]? = nil, expiresIn: Int? = nil, offline: Bool? = nil) {
            self.user = user
            self.client = client
            self.scopes = scopes
            self.sites = sites
            self.expiresIn = expiresIn
            self.offline = offline
        }

        /// A service account's token, as its OAuth credential `client` (default: its first) would get it.
        public init(serviceAccount: String, client: String? = nil, scopes: [String]? = nil, sites: [String]? = nil, expiresIn: Int? = nil) {
            self.init(user: serviceAccount, client: client ?? "", scopes: scopes, sites: sites, expiresIn: expiresIn)
            self.serviceAccount = serviceAccount
        }

        static let keys = ["user", "client", "scopes", "sites", "expiresIn", "offline", "serviceAccount"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            serviceAccount = object.optional("serviceAccount")?.nonEmptyString
            let forAccount = object.has("serviceAccount")
            let user = forAccount ? serviceAccount : object.required("user")?.nonEmptyString
            let client = forAccount ? (object.optional("client")?.nonEmptyString ?? "") : object.required("client")?.nonEmptyString
            scopes = object.optional("scopes")?.strings
            sites = object.optional("sites")?.strings
            expiresIn = object.optional("expiresIn")?.seconds(atLeast: 1)
            offline = object.optional("offline")?.bool
            guard let user, let client else { return nil }
            self.user = user
            self.client = client
        }
    }

    /// Why a token cannot be minted: each problem with the request field it concerns.
    public struct TokenRequestError: Error, Sendable, Equatable, CustomStringConvertible {
        public let issues: [ScenarioIssue]
        public var description: String { issues.map(\.description).joined(separator: "\n") }
    }
}

extension TokenRequestError {
    /// One problem, with the request field (or step) it concerns.
    init(_ path: String, _ message: String) { self.init(issues: [ScenarioIssue(path: path, message: message)]) }
}

/// Turns a token request into a grant, checked against the scenario the way consent would be.
struct TokenMinter {
    let scenario: Scenario
    let now: Double

    /// The grant the request asks for, or every reason it is refused.
    func grant(_ request: TokenRequest) -> Result<AccessGrant, TokenRequestError> {
        if let account = request.serviceAccount { return serviceAccountGrant(account, request) }
        var issues: [ScenarioIssue] = []
        let user = scenario.user(request.user)
        let client = scenario.oauthClients.first { $0.clientId == request.client }
        if user == nil { issues.append(ScenarioIssue(path: "user", message: "unknown user \"\(request.user)\"; expected an accountId or email of the scenario's users")) }
        if client == nil { issues.append(ScenarioIssue(path: "client", message: "unknown OAuth client \"\(request.client)\"")) }
        guard let user, let client else { return .failure(TokenRequestError(issues: issues)) }

        var scopes = request.scopes ?? client.scopes
        if request.offline == true && !scopes.contains("offline_access") { scopes.append("offline_access") }
        if request.offline == false { scopes.removeAll { $0 == "offline_access" } }
        for (index, scope) in scopes.enumerated() where !client.scopes.contains(scope) {
            issues.append(ScenarioIssue(path: "scopes[\(index)]", message: "scope \"\(scope)\" is not enabled for client \"\(client.clientId)\""))
        }
        let sites = request.sites ?? scenario.consentSites(for: client, user: user)
        for (index, site) in sites.enumerated() where !scenario.sites.contains(where: { $0.name == site }) {
            issues.append(ScenarioIssue(path: "sites[\(index)]", message: "unknown site \"\(site)\""))
        }
        return granted(GrantTerms(accountId: user.accountId, clientId: client.clientId, scopes: scopes, sites: sites), issues: issues,
                       expiresIn: request.expiresIn, lifetime: scenario.tokens.accessTokenLifetime)
    }

    /// The grant of `terms` for `expiresIn` (else `lifetime`) seconds, unless the request had
    /// `issues` or a bad `expiresIn`.
    private func granted(_ terms: GrantTerms, issues: [ScenarioIssue], expiresIn: Int?, lifetime: Int) -> Result<AccessGrant, TokenRequestError> {
        var issues = issues
        if let expiresIn, let refusal = TokenSettings.refusal(seconds: expiresIn, atLeast: 1) {
            issues.append(ScenarioIssue(path: "expiresIn", message: refusal))
        }
        guard issues.isEmpty else { return .failure(TokenRequestError(issues: issues)) }
        return .success(AccessGrant(terms, issuedAt: now, expiresAt: now + Double(expiresIn ?? lifetime)))
    }

    /// A service account's client-credentials grant, checked as its credential and sites allow.
    private func serviceAccountGrant(_ reference: String, _ request: TokenRequest) -> Result<AccessGrant, TokenRequestError> {
        guard let account = scenario.serviceAccount(reference) else {
            return .failure(TokenRequestError("serviceAccount", "unknown service account \"\(reference)\"; expected an accountId or email of serviceAccounts[]"))
        }
        let credential = request.client.isEmpty ? account.oauthCredentials.first : account.oauthCredentials.first { $0.clientId == request.client }
        guard let credential else {
            let message = request.client.isEmpty ? "the service account has no OAuth credential" : "\"\(request.client)\" is not an OAuth credential of \(account.accountId)"
            return .failure(TokenRequestError("client", message))
        }
        var issues: [ScenarioIssue] = []
        let scopes = request.scopes ?? credential.scopes
        for (index, scope) in scopes.enumerated() where !credential.scopes.contains(scope) {
            issues.append(ScenarioIssue(path: "scopes[\(index)]", message: "scope \"\(scope)\" is not granted to credential \"\(credential.clientId)\""))
        }
        let sites = request.sites ?? account.sites.keys.sorted()
        for (index, site) in sites.enumerated() where account.sites[site] == nil {
            issues.append(ScenarioIssue(path: "sites[\(index)]", message: "the service account has no access to site \"\(site)\""))
        }
        if request.offline == true { issues.append(ScenarioIssue(path: "offline", message: "a service account's tokens have no refresh token")) }
        return granted(GrantTerms(accountId: account.accountId, clientId: credential.clientId, scopes: scopes, sites: sites), issues: issues,
                       expiresIn: request.expiresIn, lifetime: scenario.tokens.serviceAccountTokenLifetime)
    }

    /// An RS256 JWT with Atlassian's claims (docs/reference.md §1.6). Clients are told to treat it as
    /// opaque; the mock recognises it by its store, not by re-verifying its own signature.
    /// `replicas`: the scenario fixes the keys, so the grant's sites go in a claim (`ReplicaTokens`).
    static func signedAccessToken(_ grant: AccessGrant, email: String, key: RS256SigningKey, replicas: Bool) -> String {
        let issued = Int(grant.issuedAt)
        var claims = JSONObject([
            ("jti", .string(randomUUID())), ("sub", .string(grant.accountId)), ("nbf", .int(issued)),
            ("iss", .string(TokenSigning.issuer)), ("iat", .int(issued)), ("exp", .int(Int(grant.expiresAt))),
            ("aud", .string(grant.clientId)), ("scope", .string(grant.scopes.joined(separator: " "))),
            ("client_id", .string(grant.clientId)),
            ("https://id.atlassian.com/session_id", .string(randomUUID())),
            ("https://id.atlassian.com/atl_token_type", "ACCESS"),
            ("https://id.atlassian.com/ujt", .string(randomUUID())),
            ("https://atlassian.com/firstParty", false), ("https://atlassian.com/verified", true),
            ("https://id.atlassian.com/processRegion", "us-east-1"),
            ("https://atlassian.com/emailDomain", .string(String(email.split(separator: "@").last ?? ""))),
        ])
        if replicas { claims[ReplicaTokens.sitesClaim] = .array(grant.sites.map { .string($0) }) }
        do {
            return try JWT.encode(claims: claims, key: key, extraHeader: JSONObject())
        } catch {
            fatalError("signing with the mock's own key failed: \(error)")
        }
    }
}

/// A random version-4 UUID in its usual text form.
func randomUUID() -> String {
    var bytes = SecureRandom.bytes(16)
    bytes[6] = bytes[6] & 0x0F | 0x40
    bytes[8] = bytes[8] & 0x3F | 0x80
    let hex = Hex.encode(bytes)
    let characters = Array(hex)
    return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
}
