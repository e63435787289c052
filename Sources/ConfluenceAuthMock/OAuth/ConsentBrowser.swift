import AuthMockFormats
import AuthMockHTTP

/// The browser of the 3LO dance, for `MockConfluence.authorizationCode`: it asks `/authorize` over
/// the mock's own listener, signed in as a user by the `confluence-auth-mock-user` cookie, clicks
/// Accept on a consent page, and reads the code from the redirect it is sent, which it does not
/// follow (the client's callback is not listening in a test).
struct ConsentBrowser {
    /// `http://HOST:PORT` of the mock.
    let origin: String
    let user: String?

    /// What the redirect back to the client carried.
    enum Landing: Equatable {
        case code(String, state: String?)
        case refused(error: String, description: String)
    }

    /// `GET /authorize` with these parameters, then the consent page's Accept when one is shown.
    func authorize(_ parameters: [(String, String)], sites: [String]?) throws(TokenRequestError) -> Landing {
        let page = try send("GET", "/authorize?" + PercentEncoding.encodePairs(parameters))
        guard page.status == 200 else { return try landing(page) }
        return try landing(accept(page.bodyText, sites: sites))
    }

    /// Posts the consent form as its Accept button does, with the sites picked (default: those offered).
    private func accept(_ html: String, sites: [String]?) throws(TokenRequestError) -> HTTPClientResponse {
        guard let id = Self.inputValue("consent_id", in: html), let csrf = Self.inputValue("csrf_token", in: html) else {
            throw TokenRequestError("consent", "/authorize answered a page that is not the consent form")
        }
        let picked = sites ?? Self.offeredSites(in: html)
        let form = [("consent_id", id), ("csrf_token", csrf), ("decision", "accept")] + picked.map { ("site", $0) }
        return try send("POST", "/authorize/consent", body: PercentEncoding.encodePairs(form))
    }

    /// The code or error of a redirect, or the error page's description.
    private func landing(_ response: HTTPClientResponse) throws(TokenRequestError) -> Landing {
        guard response.status == 302, let location = response.headers["Location"], let start = location.firstIndex(of: "?") else {
            let description = Self.element(id: "error_description", in: response.bodyText) ?? "status \(response.status)"
            throw TokenRequestError("authorize", "the authorization server did not redirect back: \(description)")
        }
        let query = Dictionary(FormDecoding.pairs(String(location[location.index(after: start)...])), uniquingKeysWith: { first, _ in first })
        if let code = query["code"] { return .code(code, state: query["state"]) }
        return .refused(error: query["error"] ?? "(none)", description: query["error_description"] ?? "")
    }

    private func send(_ method: String, _ path: String, body: String = "") throws(TokenRequestError) -> HTTPClientResponse {
        var headers: HTTPHeaders = [:]
        if let user { headers.add("Cookie", "\(PlatformAPI.signedInUserCookie)=\(PercentEncoding.encodeUnreserved(user))") }
        if method == "POST" { headers.add("Content-Type", "application/x-www-form-urlencoded") }
        do {
            return try HTTPClient.send(method: method, url: origin + path, headers: headers, body: Array(body.utf8))
        } catch {
            throw TokenRequestError("authorize", "\(method) \(path): \(error.description)")
        }
    }

    /// The `value` of the form input named `name` (the page escapes values; ids and tokens need none).
    static func inputValue(_ name: String, in html: String) -> String? {
        text(after: "name=\"\(name)\" value=\"", upTo: "\"", in: html)
    }

    /// The sites the page offers: its picker's options, or its one hidden `site`.
    static func offeredSites(in html: String) -> [String] {
        let options = html.split(separator: "<option value=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
        return options.isEmpty ? inputValue("site", in: html).map { [$0] } ?? [] : options
    }

    /// The text of the element with this id on an error page.
    static func element(id: String, in html: String) -> String? { text(after: "id=\"\(id)\">", upTo: "<", in: html) }

    private static func text(after marker: String, upTo end: Character, in html: String) -> String? {
        guard let range = html.firstRange(of: marker) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != end })
    }
}
