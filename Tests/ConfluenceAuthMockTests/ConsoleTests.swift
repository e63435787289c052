import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP
import Foundation
import Testing
@testable import ConfluenceAuthMock

/// The web console under `/__admin/ui`, driven through the request pipeline: statuses, headers,
/// escaping, sign-in, CSRF and the forms' effects on the mock's state.
@Suite struct ConsoleTests {
    struct Console {
        let state: MockState
        let pipeline: RequestPipeline

        init(_ scenario: Scenario = .bundledDefault, adminToken: String? = nil, adminEnabled: Bool = true) throws {
            state = MockState(scenario: try scenario.validated(), journalCapacity: 10_000)
            var options = MockServerOptions()
            options.adminToken = adminToken
            options.adminEnabled = adminEnabled
            pipeline = RequestPipeline(state: state, options: options)
        }

        @discardableResult
        func send(_ method: String, _ target: String, headers: HTTPHeaders = [:], form: [(String, String)]? = nil) throws -> HTTPResponse {
            var headers = headers
            var body: [UInt8] = []
            if let form {
                headers.set("Content-Type", "application/x-www-form-urlencoded")
                body = Array(PercentEncoding.encodePairs(form).utf8)
            }
            return pipeline.respond(to: try HTTPRequest(method: method, target: target, headers: headers, body: body))
        }

        /// The page's text, and the CSRF token its forms carry.
        func page(_ target: String, headers: HTTPHeaders = [:]) throws -> (status: Int, html: String, csrf: String?) {
            let response = try send("GET", target, headers: headers)
            let html = String(decoding: response.body, as: UTF8.self)
            let csrf = html.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) }
            return (response.status.code, html, csrf)
        }
    }

    @Test func interpolatedTextIsEscapedAndOnlyLiteralsAreMarkup() {
        let hostile = "\"><img src=x onerror=alert(1)>'&"
        let html: HTML = "<td title=\"\(hostile)\">\(hostile)</td>"
        #expect(html.markup == "<td title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;\">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;</td>")
        let link: HTML = "<a href=\"/__admin/ui/requests?path=\(url: "javascript:alert(1) &x=<")\">"
        #expect(link.markup == "<a href=\"/__admin/ui/requests?path=javascript%3Aalert%281%29%20%26x%3D%3C\">")
        #expect(ConfluenceAuthMock.Console.redirectLink("javascript:alert(1)").markup == "<code id=\"redirect\">javascript:alert(1)</code>")
    }

    @Test func timesAreShownAgainstTheScenarioClock() {
        typealias Page = ConfluenceAuthMock.Console
        #expect(Page.relativeTime(1_767_229_200, now: 1_767_225_600) == "2026-01-01T01:00:00Z (in 1h)")
        #expect(Page.relativeTime(1_767_225_600, now: 1_767_229_261) == "2026-01-01T00:00:00Z (1h 1m ago)")
        #expect(Page.relativeTime(1_767_225_600, now: 1_767_225_600) == "2026-01-01T00:00:00Z (now)")
        #expect(Page.clockTime(1_767_225_600.25) == "00:00:00.250")
        #expect(Page.relativeTime(1e300, now: 0) == "1e+300 (not a time ISO-8601 can show)")
    }

    @Test func aTokenClaimingAnyTimeAtAllIsShownNotTrapped() throws {
        let console = try Console()
        let csrf = try #require(try console.page("/__admin/ui/tokens").csrf)
        let header = Base64URL.encode(Array(#"{"alg":"HS256"}"#.utf8))
        let claims = Base64URL.encode(Array(#"{"exp":1e300,"iat":-1e300,"nbf":"soon","iss":"<b>x</b>"}"#.utf8))
        let answer = try console.send("POST", "/__admin/ui/tokens", form: [("csrf", csrf), ("token", "\(header).\(claims).c2ln")])
        let html = String(decoding: answer.body, as: UTF8.self)
        #expect(answer.status.code == 200 && html.contains("not a time ISO-8601 can show") && html.contains("&lt;b&gt;x&lt;/b&gt;"))
    }

    @Test func everyPageIsHTMLUnderAPolicyThatRunsOnlyTheConsolesScript() throws {
        let console = try Console()
        for path in ["/__admin/ui", "/__admin/ui/requests", "/__admin/ui/tokens", "/__admin/ui/consents", "/__admin/ui/scopes",
                     "/__admin/ui/faults", "/__admin/ui/sign-in"] {
            let response = try console.send("GET", path)
            #expect(response.status.code == 200, "\(path)")
            #expect(response.headers["Content-Type"] == "text/html; charset=utf-8" && response.headers["Cache-Control"] == "no-store")
            let policy = try #require(response.headers["Content-Security-Policy"])
            #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'sha256-") && policy.contains("frame-ancestors 'none'"))
        }
        #expect(try console.page("/__admin/ui/scopes").html.contains("<h2>Scope advice</h2><p class=\"note\">None in this scenario.</p>"))
        #expect(try console.send("GET", "/__admin/ui/requests/999").status.code == 404)
        #expect(try console.send("GET", "/__admin/ui/requests?status=abc").status.code == 400)
    }

    @Test func hostileRequestValuesRenderAsText() throws {
        let console = try Console()
        try console.send("GET", "/site/acme/wiki/<script>alert(1)</script>?next=javascript:alert(2)",
                         headers: ["X-Evil": "\"><img src=x onerror=alert(3)>", "Authorization": "Bearer <b>not-a-token</b>"])
        for page in ["/__admin/ui/requests", "/__admin/ui/requests/1", "/__admin/ui/tokens?entry=1"] {
            let html = try console.page(page).html
            #expect(!html.contains("<script>alert") && !html.contains("<img") && !html.contains("<b>"), "\(page)")
            #expect(!html.contains("href=\"javascript"), "\(page)")
        }
        let detail = try console.page("/__admin/ui/requests/1").html
        #expect(detail.contains("/site/acme/wiki/&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(detail.contains("&quot;&gt;&lt;img src=x onerror=alert(3)&gt;") && detail.contains("javascript:alert(2)"))
        #expect(detail.contains("Bearer &lt;b&gt;not-a… (18 characters)"), "the credential is masked")
    }

    @Test func withAnAdminTokenThePagesWantASignInOrTheBearerToken() throws {
        let console = try Console(adminToken: "console-secret")
        let anonymous = try console.send("GET", "/__admin/ui/requests?status=200")
        #expect(anonymous.status.code == 303 && anonymous.headers["Location"] == "/__admin/ui/sign-in?next=%2F__admin%2Fui%2Frequests%3Fstatus%3D200")
        #expect(try console.send("POST", "/__admin/ui/clock", form: [("advanceSeconds", "60")]).status.code == 401)
        #expect(try console.send("GET", "/__admin/events").status.code == 401)
        let signIn = try console.page("/__admin/ui/sign-in?next=%2F__admin%2Fui%2Frequests")
        let csrf = try #require(signIn.csrf)
        #expect(signIn.status == 200 && signIn.html.contains("value=\"/__admin/ui/requests\""))
        #expect(try console.send("POST", "/__admin/ui/sign-in", form: [("token", "console-secret")]).status.code == 403, "no CSRF token")
        let wrong = try console.send("POST", "/__admin/ui/sign-in", form: [("csrf", csrf), ("token", "guess"), ("next", "/__admin/ui")])
        #expect(wrong.status.code == 401 && wrong.headers["Set-Cookie"] == nil)
        let right = try console.send("POST", "/__admin/ui/sign-in", form: [("csrf", csrf), ("token", "console-secret"), ("next", "/__admin/ui/requests")])
        #expect(right.status.code == 303 && right.headers["Location"] == "/__admin/ui/requests")
        let cookie = try #require(right.headers["Set-Cookie"])
        #expect(cookie.hasSuffix("; Path=/__admin; HttpOnly; SameSite=Strict"))
        let session: HTTPHeaders = ["Cookie": "other=1; " + String(cookie.prefix { $0 != ";" })]
        #expect(try console.send("GET", "/__admin/ui/requests", headers: session).status.code == 200)
        #expect(try console.send("GET", "/__admin/events", headers: session).status.code == 200, "the stream the page follows")
        #expect(try console.send("GET", "/__admin/requests", headers: session).status.code == 401, "the cookie opens the console only")
        #expect(try console.send("GET", "/__admin/ui", headers: ["Cookie": "confluence-auth-mock-console=forged"]).status.code == 303)
        #expect(try console.send("GET", "/__admin/ui", headers: ["Authorization": "Bearer console-secret"]).status.code == 200)
        let offsite = try console.send("POST", "/__admin/ui/sign-in", form: [("csrf", csrf), ("token", "console-secret"), ("next", "//evil.example/x")])
        #expect(offsite.headers["Location"] == "/__admin/ui", "never sent off the console")
    }

    @Test func formsWithoutTheCSRFTokenChangeNothing() throws {
        var scenario = Scenario.bundledDefault
        scenario.clock = ClockSettings(start: 1_767_225_600, frozen: true)
        let console = try Console(scenario)
        let refused = try console.send("POST", "/__admin/ui/clock", form: [("advanceSeconds", "3600"), ("csrf", "forged")])
        #expect(refused.status.code == 403 && console.state.now == 1_767_225_600)
        let csrf = try #require(try console.page("/__admin/ui").csrf)
        let moved = try console.send("POST", "/__admin/ui/clock", form: [("advanceSeconds", "3600"), ("csrf", csrf)])
        #expect(moved.status.code == 303 && moved.headers["Location"] == "/__admin/ui" && console.state.now == 1_767_229_200)
        #expect(try console.send("POST", "/__admin/ui/clock", form: [("advanceSeconds", "soon"), ("csrf", csrf)]).status.code == 400)
        #expect(try console.page("/__admin/ui").html.contains("2026-01-01T01:00:00.000Z"))
    }

    @Test func faultsAreAddedCountedAndRemovedFromThePage() throws {
        let console = try Console()
        let csrf = try #require(try console.page("/__admin/ui/faults").csrf)
        let bad = try console.send("POST", "/__admin/ui/faults", form: [("csrf", csrf), ("json", #"{"match":{"path":"/wiki/*"},"respond":{"stauts":503}}"#)])
        #expect(bad.status.code == 400 && String(decoding: bad.body, as: UTF8.self).contains("<code>respond.stauts</code>: unknown key"))
        let fault = #"{"name":"<flaky>","match":{"path":"/wiki/*"},"respond":{"status":503}}"#
        #expect(try console.send("POST", "/__admin/ui/faults", form: [("csrf", csrf), ("json", fault)]).status.code == 303)
        try console.send("GET", "/site/acme/wiki/rest/api/space")
        let listed = try console.page("/__admin/ui/faults").html
        #expect(listed.contains("&lt;flaky&gt;") && listed.contains("<td>1</td><td>1</td>"), "seen 1, fired 1")
        #expect(console.state.faults.map(\.fired) == [1])
        let id = try #require(console.state.faults.first?.id)
        #expect(try console.send("POST", "/__admin/ui/faults/\(id)/remove", form: [("csrf", csrf)]).status.code == 303)
        #expect(console.state.faults.isEmpty)
    }

    @Test func aConsentApprovedOnThePageSendsTheCodeBack() throws {
        var scenario = Scenario.bundledDefault
        scenario.oauthClients[0].consent.mode = .page
        let console = try Console(scenario)
        try console.send("GET", "/authorize?audience=api.atlassian.com&client_id=acme-sync-client&scope=read%3Apage%3Aconfluence"
                         + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback&state=s-1&response_type=code&prompt=consent")
        let pending = try console.page("/__admin/ui/consents")
        let id = try #require(OAuthGrants(state: console.state).pendingConsents.first?.id)
        #expect(pending.html.contains("data-consent=\"\(id)\"") && pending.html.contains("<code>read:page:confluence</code>"))
        let approved = try console.send("POST", "/__admin/ui/consents/\(id)", form: [("csrf", try #require(pending.csrf)), ("decision", "approve"), ("site", "acme")])
        let html = String(decoding: approved.body, as: UTF8.self)
        #expect(approved.status.code == 200 && html.contains("<a id=\"redirect\" href=\"http://127.0.0.1:8765/callback?code="))
        #expect(OAuthGrants(state: console.state).pendingConsents.isEmpty)
        #expect(try console.page("/__admin/ui/consents").html.contains("No consent is pending"))
    }

    @Test func aRefusalForAMissingScopeIsExplained() throws {
        let console = try Console()
        let minted = try OAuthGrants(state: console.state).mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: ["read:page:confluence"])).get()
        let cloudID = Scenario.bundledDefault.sites[0].cloudId
        let refused = try console.send("DELETE", "/ex/confluence/\(cloudID)/wiki/api/v2/pages/1001", headers: ["Authorization": "Bearer \(minted.accessToken)"])
        #expect(refused.status.code == 401)
        let detail = try console.page("/__admin/ui/requests/1").html
        #expect(detail.contains("<dd id=\"scopes-missing\"><code class=\"missing\">delete:page:confluence</code></dd>"))
        #expect(detail.contains("DELETE /wiki/api/v2/pages/{id}") && detail.contains("href=\"/__admin/ui/tokens?entry=1\""))
        let inspected = try console.page("/__admin/ui/tokens?entry=1").html
        #expect(inspected.contains("<dd id=\"token-kind\">oauth</dd>") && inspected.contains("<dd id=\"token-status\">active</dd>"))
    }

    @Test func theScopesPageAdvisesEachClientFromItsCalls() throws {
        let console = try Console()
        let minted = try OAuthGrants(state: console.state).mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: ["read:page:confluence"])).get()
        let cloudID = Scenario.bundledDefault.sites[0].cloudId
        try console.send("GET", "/ex/confluence/\(cloudID)/wiki/api/v2/pages/1001", headers: ["Authorization": "Bearer \(minted.accessToken)"])
        try console.send("DELETE", "/ex/confluence/\(cloudID)/wiki/api/v2/pages/1001", headers: ["Authorization": "Bearer \(minted.accessToken)"])
        let page = try console.page("/__admin/ui/scopes").html
        #expect(page.contains("<td><code>acme-sync-client</code></td><td><code>delete:page:confluence</code> <code>read:page:confluence</code></td><td>none can cover these calls</td><td>DELETE</td>"))
        #expect(page.contains("<code>DELETE /wiki/api/v2/pages/{id}</code> ×1 (some refused)"))
    }

    @Test func withoutTheAdminAPIThereIsNoConsole() throws {
        let console = try Console(adminEnabled: false)
        #expect(try console.send("GET", "/__admin/ui").status.code == 404)
        #expect(try console.send("GET", "/__admin/ui/sign-in").status.code == 404)
    }

    @Test func theJournalKeepsTheAnswersHeadersAndTheStartOfItsBody() throws {
        let console = try Console()
        try console.send("GET", "/site/acme/wiki/rest/api/space", headers: ["Authorization": "Basic " + Base64.encode(Array("alice@acme.test:wrong".utf8))])
        let entry = try #require(console.state.requests(JournalFilter(decision: .denied)).first)
        #expect(entry.responseHeaders["content-type"] == "application/json;charset=UTF-8" && entry.responseBody.contains("403"))
        #expect(entry.json["response"]?["headers"]?["server"] == "AtlassianEdge")
        #expect(entry.json["response"]?["bodyStart"]?.stringValue?.contains("statusCode") == true)
    }
}
