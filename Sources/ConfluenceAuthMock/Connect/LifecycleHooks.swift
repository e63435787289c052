import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP

/// A Connect lifecycle event (docs/reference.md §4.4).
public enum LifecycleEvent: String, Sendable, CaseIterable {
    case installed, enabled, disabled, uninstalled

    /// `installed` and `uninstalled` are signed RS256 with a published key (docs/reference.md §4.5); the others with
    /// the shared secret.
    var isAsymmetric: Bool { self == .installed || self == .uninstalled }
}

/// Sending a lifecycle hook: `POST /__admin/connect/lifecycle` and ``MockConfluence/sendLifecycle(_:)``.
public struct LifecycleRequest: Sendable, Equatable {
    public var app: String
    public var site: String
    public var event: LifecycleEvent
    /// With `installed`: give the installation a new shared secret, sent in the payload (what
    /// Confluence does when it rotates secrets).
    public var rotateSecret: Bool
    /// Send the site's own URL (`https://acme.atlassian.net/wiki`) as the payload's `baseUrl`, for
    /// an app that reaches Confluence through the mock's proxy or in process; by default it is the
    /// mock's URL for the site (`http://127.0.0.1:PORT/site/acme/wiki`), which needs no proxy.
    public var productionBaseURL: Bool

    public init(app: String, site: String, event: LifecycleEvent, rotateSecret: Bool = false, productionBaseURL: Bool = false) {
        self.app = app
        self.site = site
        self.event = event
        self.rotateSecret = rotateSecret
        self.productionBaseURL = productionBaseURL
    }

    static let keys = ["app", "site", "event", "rotateSecret", "productionBaseUrl"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        let app = object.required("app")?.nonEmptyString
        let site = object.required("site")?.nonEmptyString
        let event = object.required("event")?.oneOf(LifecycleEvent.self, "lifecycle event")
        let rotate = object.optional("rotateSecret")?.bool ?? false
        if rotate, event != nil, event != .installed { object.required("rotateSecret")?.report("a secret rotates only with the installed event") }
        let production = object.optional("productionBaseUrl")?.bool ?? false
        guard let app, let site, let event, !(rotate && event != .installed) else { return nil }
        self.init(app: app, site: site, event: event, rotateSecret: rotate, productionBaseURL: production)
    }
}

/// What happened when the mock sent a hook.
public struct LifecycleDelivery: Sendable, Equatable {
    public let event: LifecycleEvent
    /// `true` when the app answered 2xx.
    public let delivered: Bool
    /// The app's status; `nil` when nothing was sent or the app could not be reached.
    public let status: Int?
    public let body: String
    /// Where the hook went; `nil` when the app declares no path for the event.
    public let url: String?
    /// Why there is no answer (unreachable, timed out, no hook declared).
    public let error: String?
    /// The installation's status afterwards.
    public let installation: ConnectInstallationStatus

    var json: JSONValue {
        .object(JSONObject([("event", .string(event.rawValue)), ("delivered", .bool(delivered)), ("status", status.map { .int($0) } ?? .null), ("body", .string(body)),
                            ("url", url.map { .string($0) } ?? .null), ("error", error.map { .string($0) } ?? .null),
                            ("installation", .string(installation.rawValue))]))
    }
}

/// Connect lifecycle hooks: the signed calls Confluence makes to an app when it is installed,
/// enabled, disabled or uninstalled, over `tls`. The outbound call is made here, on the calling
/// thread, never under the state's lock.
struct LifecycleHooks {
    let state: MockState
    let tls: OutboundTLS

    private var installations: ConnectInstallations { ConnectInstallations(state: state) }

    /// Sends `request.event` to the app's lifecycle URL, signed as Confluence signs it, and records
    /// the outcome on the installation. `siteBaseURL` is the mock's URL for the site (the payload's
    /// `baseUrl` without `/wiki`). Blocks until the app answers or the client times out.
    func send(_ request: LifecycleRequest, siteBaseURL: String) -> Result<LifecycleDelivery, TokenRequestError> {
        // One read of the scenario, the installations and the clock; the installation is read again
        // only after this call changed it (a rotated secret).
        let snapshot = state.snapshot(bearer: nil), scenario = snapshot.scenario
        guard let current = snapshot.connectInstallation(app: request.app, site: request.site),
              let site = scenario.sites.first(where: { $0.name == request.site })
        else {
            return .failure(TokenRequestError(issues: [ScenarioIssue(path: "app", message: "app \"\(request.app)\" has no installation on site \"\(request.site)\"")]))
        }
        if request.rotateSecret { installations.update(clientKey: current.clientKey, status: current.status, sharedSecret: SecureRandom.token(byteCount: 32)) }
        let installation = request.rotateSecret ? installations.installation(app: request.app, site: request.site) ?? current : current
        let base = request.productionBaseURL ? String(site.url.reversed().drop { $0 == "/" }.reversed()) : siteBaseURL
        let sent = post(request.event, installation, site: site, siteBaseURL: base, jwtLifetime: scenario.tokens.connectJwtLifetime, now: snapshot.now,
                        installKey: snapshot.keys[.connectInstall])
        // No declared hook: nothing is sent, and the event takes effect as if the app had agreed.
        let ok = sent.url == nil || sent.response.map { (200..<300).contains($0.status) } == true
        let status = Self.status(after: request.event, answered: ok, before: installation.status)
        let delivery = LifecycleDelivery(event: request.event, delivered: sent.url != nil && ok, status: sent.response?.status, body: sent.response?.bodyText ?? "",
                                         url: sent.url, error: sent.error, installation: status)
        installations.update(clientKey: installation.clientKey, status: status, delivery: delivery)
        return .success(delivery)
    }

    /// POSTs the signed hook to the app: where it went (`nil` when the app declares no hook for the
    /// event), and the app's answer or why there is none.
    private func post(_ event: LifecycleEvent, _ installation: ConnectInstallationState, site: Site, siteBaseURL: String, jwtLifetime: Int, now: Double,
                      installKey: RS256SigningKey)
        -> (url: String?, response: HTTPClientResponse?, error: String?) {
        guard let path = installation.app.lifecycle[event.rawValue] else {
            return (nil, nil, "the app declares no \(event.rawValue) hook; nothing was sent")
        }
        let url = AppURL.join(installation.app.baseUrl, path)
        do {
            let token = try hookToken(event, installation, path: path, lifetime: jwtLifetime, now: now, key: installKey)
            let headers: HTTPHeaders = ["Authorization": "JWT \(token)", "Content-Type": "application/json", "User-Agent": "confluence-auth-mock (Atlassian Connect)"]
            let body = JSONValue.object(Self.payload(event, installation, site: site, siteBaseURL: siteBaseURL)).serializedBytes
            return (url, try HTTPClient.send(method: "POST", url: url, headers: headers, body: body, tls: tls), nil)
        } catch let error as HTTPClientError {
            return (url, nil, error.description)
        } catch {
            return (url, nil, "cannot sign the hook: \(error)")
        }
    }

    /// `installed` that fails leaves the install incomplete; `enabled` that fails leaves it as it
    /// was; `disabled` and `uninstalled` happen whatever the app answers.
    private static func status(after event: LifecycleEvent, answered ok: Bool, before: ConnectInstallationStatus) -> ConnectInstallationStatus {
        switch event {
        case .installed: ok ? .installed : .incomplete
        case .enabled: ok ? .installed : before
        case .disabled: .disabled
        case .uninstalled: .uninstalled
        }
    }

    /// The hook's JWT: RS256 with the install key's `kid` and `aud` the app's `baseUrl` for
    /// `installed`/`uninstalled` (docs/reference.md §4.5); HS256 with the shared secret otherwise.
    private func hookToken(_ event: LifecycleEvent, _ installation: ConnectInstallationState, path: String, lifetime: Int, now: Double, key: RS256SigningKey) throws -> String {
        let issuedAt = Int(now)
        var claims = JSONObject([("iss", .string(installation.clientKey)), ("iat", .int(issuedAt)), ("exp", .int(issuedAt + lifetime)),
                                 ("qsh", .string(QueryStringHash.hash(method: "POST", url: path)))])
        guard event.isAsymmetric else { return try JWT.encode(claims: claims, key: HMACKey(secret: installation.sharedSecret)) }
        claims["aud"] = .array([.string(installation.app.baseUrl)])
        return try JWT.encode(claims: claims, key: key)
    }

    /// The payload fields of docs/reference.md §4.4. The secret travels on `installed` only (where it is
    /// documented); entitlement fields are left out (the mock sells nothing).
    private static func payload(_ event: LifecycleEvent, _ installation: ConnectInstallationState, site: Site, siteBaseURL: String) -> JSONObject {
        let baseUrl = siteBaseURL + "/wiki"
        var payload = JSONObject([("key", .string(installation.app.key)), ("clientKey", .string(installation.clientKey))])
        if event == .installed { payload["sharedSecret"] = .string(installation.sharedSecret) }
        payload["serverVersion"] = "6452"
        payload["pluginsVersion"] = "1001.0.0-SNAPSHOT"
        payload["baseUrl"] = .string(baseUrl)
        payload["displayUrl"] = .string(site.url + "/wiki")
        payload["productType"] = "confluence"
        payload["description"] = .string("Atlassian Confluence at \(baseUrl)")
        if let clientId = installation.installation.oauthClientId { payload["oauthClientId"] = .string(clientId) }
        payload["eventType"] = .string(event.rawValue)
        return payload
    }
}

/// URLs of an app's endpoints.
enum AppURL {
    /// `baseUrl` + a path (a lifecycle hook's, a Forge remote's), with exactly one slash between them.
    static func join(_ base: String, _ path: String) -> String {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        return trimmed + (path.hasPrefix("/") ? path : "/" + path)
    }
}
