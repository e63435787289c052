import AuthMockFormats
import AuthMockHTTP

/// Which site a request is for, through which door, and its path as on the site.
struct SiteAddress: Equatable {
    enum Door: Equatable {
        /// The site's own domain (`acme.atlassian.net`), or `/site/{name}` on the mock.
        case site
        /// The API gateway, `api.atlassian.com/ex/confluence/{cloudId}`.
        case gateway
    }

    let site: Site
    let door: Door
    /// The path relative to the site's origin (`/wiki/rest/api/space`, `/_edge/tenant_info`).
    let path: String
    /// `path` as sent, still percent-encoded: what a Connect `qsh` hashes.
    let rawPath: String

    /// docs/endpoints.md "One origin stands in for every Atlassian host": `/site/{name}…` names a site,
    /// `/ex/confluence/{cloudId}…` is the gateway, and any other path belongs to the site whose
    /// URL host is the request's `Host`, else to the scenario's first site. `nil` for a site the
    /// scenario does not have.
    static func resolve(_ request: HTTPRequest, among sites: [Site]) -> SiteAddress? {
        if let (name, rest) = prefixed(request.path, "/site/") {
            return sites.first { $0.name == name }.map { SiteAddress(site: $0, door: .site, path: rest, rawPath: rawRemainder(request, "/site/", rest)) }
        }
        if let (cloudId, rest) = prefixed(request.path, "/ex/confluence/") {
            return sites.first { $0.cloudId.equalsIgnoringCase(cloudId) }.map {
                SiteAddress(site: $0, door: .gateway, path: rest, rawPath: rawRemainder(request, "/ex/confluence/", rest))
            }
        }
        let host = request.headers["Host"].map(hostWithoutPort)
        let site = sites.first { urlHost($0.url) == host } ?? sites[0]
        return SiteAddress(site: site, door: .site, path: request.path, rawPath: request.rawPath)
    }

    /// `/site/acme/wiki/x` → ("acme", "/wiki/x"); `/site/acme` → ("acme", "/").
    private static func prefixed(_ path: String, _ prefix: String) -> (String, String)? {
        // On UTF-8 bytes: every site request passes through here.
        guard path.hasUTF8Prefix(prefix) else { return nil }
        let utf8 = path.utf8
        let nameStart = utf8.index(utf8.startIndex, offsetBy: prefix.utf8.count)
        let nameEnd = path[nameStart...].firstIndex(ofASCII: UInt8(ascii: "/")) ?? utf8.endIndex
        guard nameStart < nameEnd else { return nil }
        let remainder = path[nameEnd...]
        return (String(path[nameStart..<nameEnd]), remainder.isEmpty ? "/" : String(remainder))
    }

    /// The raw path after `prefix` and its one segment; the decoded remainder when the raw path
    /// spells the prefix itself with escapes.
    private static func rawRemainder(_ request: HTTPRequest, _ prefix: String, _ decoded: String) -> String {
        if request.rawPath == request.path { return decoded }
        return prefixed(request.rawPath, prefix)?.1 ?? decoded
    }

    private static func hostWithoutPort(_ host: String) -> String {
        let lower = host.lowercased()
        if lower.hasPrefix("[") { return String(lower.prefix { $0 != "]" }) + "]" }
        return String(lower.prefix { $0 != ":" })
    }
}
