import AuthMockHTTP
import AuthMockFormats

/// Atlassian's real hosts, for a request that addressed one by name (`HTTPRequest.addressedHost`,
/// set by the in-process URL session transport): each host answers only its own paths, as on
/// Cloud, and those paths are mapped onto the mock's one origin (docs/endpoints.md).
enum AtlassianHosts {
    static let auth = "auth.atlassian.com"
    static let api = "api.atlassian.com"
    static let connectInstallKeys = "connect-install-keys.atlassian.com"
    static let forgeCDN = "forge.cdn.prod.atlassian-dev.net"
    static let impersonation = "oauth-2-authorization-server.services.atlassian.com"
    static let all = [auth, api, connectInstallKeys, forgeCDN, impersonation]

    /// Where a request for `path` on `host` goes.
    enum Destination: Equatable {
        /// This path on the mock's origin; `rawPrefix` goes before the raw path too.
        case origin(path: String, rawPrefix: String)
        /// A host the mock answers for, without this path: 404, as that host would answer.
        case notFound
        /// Neither one of Atlassian's hosts nor a scenario site's.
        case notServed
    }

    private static let authPaths: Set<String> = ["/authorize", "/authorize/consent", "/oauth/token", "/.well-known/jwks.json",
                                                  "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]

    static func destination(host: String, path: String, scenario: Scenario) -> Destination {
        let host = host.lowercased()
        switch host {
        case auth:
            return authPaths.contains(path) ? .origin(path: path, rawPrefix: "") : .notFound
        case api:
            let served = path.hasPrefix("/ex/confluence/") || path == "/oauth/token/accessible-resources" || path == "/me"
            return served ? .origin(path: path, rawPrefix: "") : .notFound
        case connectInstallKeys:
            // One segment, the key id: `https://connect-install-keys.atlassian.com/{kid}`.
            let isKeyID = path.count > 1 && !path.dropFirst().contains("/")
            return isKeyID ? .origin(path: "/connect-install-keys" + path, rawPrefix: "/connect-install-keys") : .notFound
        case forgeCDN:
            return path == "/.well-known/jwks.json" ? .origin(path: "/forge/.well-known/jwks.json", rawPrefix: "/forge") : .notFound
        case impersonation:
            return path == "/oauth2/token" ? .origin(path: path, rawPrefix: "") : .notFound
        default:
            // A site's own domain: everything on it is the site's (its /wiki and /_edge routes).
            guard let site = scenario.sites.first(where: { urlHost($0.url) == host }) else { return .notServed }
            return .origin(path: "/site/\(site.name)" + path, rawPrefix: "/site/\(PercentEncoding.encodeUnreserved(site.name))")
        }
    }

    /// Every host the mock answers for under `scenario`: Atlassian's and the sites'.
    static func served(by scenario: Scenario) -> [String] {
        all + scenario.sites.compactMap { urlHost($0.url) }
    }
}

extension RequestPipeline {
    /// The host stage, for a request that addressed a host by name: its path moved onto the mock's
    /// origin, or the answer that host would give (404), or a refusal for a host the mock does not
    /// answer for. The journal keeps the path as sent.
    func addressHost(_ context: inout RequestContext) {
        guard let host = context.http.addressedHost else { return }
        switch AtlassianHosts.destination(host: host, path: context.http.path, scenario: context.snapshot.scenario) {
        case .origin(let path, let rawPrefix):
            context.http.path = path
            context.http.rawPath = rawPrefix + context.http.rawPath
        case .notFound:
            let response = host.lowercased() == AtlassianHosts.api ? ConfluenceErrors.gateway(.notFound, "Not Found") : Self.notFound(context.http)
            context.answer(response)
        case .notServed:
            refuseHost(host, &context)
        }
    }

    /// The proxy stage (docs/proxy.md): a `CONNECT` to a host the mock answers for opens a tunnel
    /// (the HTTP layer then speaks TLS as that host), one to any other host is refused; an
    /// absolute-form request is answered as its URL's host. With the proxy off, `CONNECT` answers
    /// 405 and an absolute-form request is served as if it were origin-form.
    func proxy(_ context: inout RequestContext) {
        switch context.http.proxyForm {
        case nil:
            return
        case .absolute(let host)?:
            if options.proxyEnabled { context.http.addressedHost = host }
        case .connect(let host, _)?:
            guard options.proxyEnabled else {
                var refusal = AdminAPI.error(.methodNotAllowed, "CONNECT: this mock is not a proxy (serve --no-proxy)")
                refusal.headers.set("Allow", "GET, HEAD, POST, PUT, DELETE")
                return context.answer(refusal)
            }
            guard AtlassianHosts.served(by: context.snapshot.scenario).contains(host) else { return refuseHost(host, &context) }
            context.auth.decision = .allowed
            context.auth.reason = "proxy: tunnel to \(host)"
            var tunnel = HTTPResponse(status: .ok)
            tunnel.tunnel = host
            context.answer(tunnel)
        }
    }

    /// 403 for a host the mock does not answer for, naming the hosts it does; never a connection out.
    private func refuseHost(_ host: String, _ context: inout RequestContext) {
        context.auth.deny("proxy: host not served")
        let hosts = AtlassianHosts.served(by: context.snapshot.scenario).joined(separator: ", ")
        context.answer(AdminAPI.error(.forbidden, "confluence-auth-mock does not answer for \(host); it answers for \(hosts)"))
    }
}
