import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP

/// Connect user impersonation (docs/reference.md §4.7): `POST /oauth2/token` with
/// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` and an HS256 assertion signed with the
/// installation's shared secret. The token acts as the user on the site's base URL, within the
/// app's Connect scopes (or the requested subset).
extension PlatformAPI {
    static let jwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    /// Hosts an assertion's `aud` may name: the authorization server and its legacy alias (docs/reference.md §4.7).
    static let impersonationAudiences = ["https://oauth-2-authorization-server.services.atlassian.com", "https://auth.atlassian.io"]

    var impersonationToken: EndpointHandler {
        { context in
            context.auth.mechanism = .connect
            let result = impersonate(Self.fields(context.http), origin: Self.origin(of: context.http), snapshot: context.snapshot, record: &context.auth)
            return OAuthError.answer(result, record: &context.auth)
        }
    }

    private func impersonate(_ fields: [String: String], origin: String, snapshot: StateSnapshot, record: inout AuthRecord) -> Result<JSONValue, OAuthError> {
        guard let grantType = fields["grant_type"] else { return .failure(.missing("grant_type")) }
        guard grantType == Self.jwtBearerGrant else { return .failure(.unsupportedGrantType(grantType)) }
        guard let assertion = fields["assertion"] else { return .failure(.missing("assertion")) }
        let installation: ConnectInstallationState, user: User
        switch checkAssertion(assertion, origin: origin, snapshot: snapshot, record: &record) {
        case .failure(let error): return .failure(error)
        case .success(let checked): (installation, user) = checked
        }
        var scopes = installation.app.scopes.filter { $0 != .actAsUser }
        if let requested = fields["scope"] {
            let names = requested.split { $0 == " " || $0 == "+" }.map(String.init)
            let parsed = names.compactMap(ConnectScope.init(rawValue:))
            guard parsed.count == names.count, parsed.allSatisfy(installation.app.scopes.contains) else {
                return .failure(.badRequest("invalid_scope", "scope must be Connect scopes the app has: \(installation.app.scopes.map(\.rawValue).joined(separator: " "))"))
            }
            scopes = parsed
        }
        let now = snapshot.now, lifetime = snapshot.scenario.tokens.impersonationTokenLifetime
        let grant = AccessGrant(GrantTerms(accountId: user.accountId, clientId: installation.installation.oauthClientId ?? "", scopes: scopes.map(\.rawValue),
                                           sites: [installation.site]),
                                issuedAt: now, expiresAt: now + Double(lifetime), appKey: installation.app.key, clientKey: installation.clientKey)
        let token = SecureRandom.token()
        state.withTokens { $0.issue(grant, token: token) }
        record.scopesHeld = grant.scopes
        return .success(.object(JSONObject([("access_token", .string(token)), ("expires_in", .int(lifetime)), ("token_type", "Bearer")])))
    }

    /// The assertion's claims (docs/reference.md §4.7 table), checked after its signature.
    private func checkAssertion(_ assertion: String, origin: String, snapshot: StateSnapshot, record: inout AuthRecord) -> Result<(ConnectInstallationState, User), OAuthError> {
        let jwt: JWT
        do { jwt = try JWT.decode(assertion) } catch { return .failure(.invalidGrant("the assertion is not a JWT: \(error.message)")) }
        let clientPrefix = "urn:atlassian:connect:clientid:", userPrefix = "urn:atlassian:connect:useraccountid:"
        guard let issuer = jwt.claims["iss"]?.stringValue, issuer.hasPrefix(clientPrefix) else {
            return .failure(.invalidGrant("iss must be \(clientPrefix){oauthClientId}"))
        }
        let clientId = String(issuer.dropFirst(clientPrefix.count))
        record.principal = clientId
        guard let installation = snapshot.connectInstallation(oauthClientId: clientId), installation.status == .installed else {
            return .failure(.invalidGrant("no installed Connect app has oauthClientId \(clientId)"))
        }
        record.principal = installation.app.key
        record.client = installation.app.key
        do {
            try jwt.verifySignature(using: HMACKey(secret: installation.sharedSecret), allowing: [.hs256])
            let leeway = Double(snapshot.scenario.tokens.connectJwtLeeway)
            try jwt.validateClaims(JWTClaimChecks(now: snapshot.now, leeway: leeway, requiredClaims: ["iat", "exp", "sub", "tnt", "aud"]))
            if let exp = jwt.claims["exp"]?.numberValue, exp > snapshot.now + 60 + leeway {
                return .failure(.invalidGrant("exp must be no later than 60 seconds in the future"))
            }
        } catch {
            return .failure(.invalidGrant(error.message))
        }
        guard installation.app.scopes.contains(.actAsUser) else {
            return .failure(.badRequest("unauthorized_client", "The authenticated client is not authorized to use this authorization grant type"))
        }
        guard jwt.audiences.contains(where: { (Self.impersonationAudiences + [origin]).contains($0.hasSuffix("/") ? String($0.dropLast()) : $0) }) else {
            return .failure(.invalidGrant("aud must be \(Self.impersonationAudiences[0])"))
        }
        let site = snapshot.scenario.sites.first { $0.name == installation.site }
        guard let tenant = jwt.claims["tnt"]?.stringValue, let site, Self.tenantNames(site, origin: origin).contains(tenant) else {
            return .failure(.invalidGrant("tnt must be the base URL of the installation's site"))
        }
        guard let subject = jwt.claims["sub"]?.stringValue, subject.hasPrefix(userPrefix),
              let user = snapshot.scenario.user(accountId: String(subject.dropFirst(userPrefix.count)))
        else { return .failure(.invalidGrant("sub must be \(userPrefix){accountId} of a user of the site")) }
        return .success((installation, user))
    }

    /// What `tnt` may say: the site's URL or the mock's URL for it, with or without `/wiki`.
    private static func tenantNames(_ site: Site, origin: String) -> [String] {
        [site.url, site.url + "/wiki", "\(origin)/site/\(site.name)", "\(origin)/site/\(site.name)/wiki"]
    }
}
