import AuthMockFormats
import AuthMockHTTP
import Testing
@testable import ConfluenceAuthMock

/// The credential is read once from `Authorization` (or `?jwt=`), then basic credentials are checked.
@Suite struct CredentialTests {
    let verifier = BasicVerifier(scenario: .bundledDefault)
    var alice: User { Scenario.bundledDefault.users[0] }

    private func request(_ authorization: String?, target: String = "/wiki/rest/api/space") throws -> HTTPRequest {
        var headers: HTTPHeaders = [:]
        if let authorization { headers.set("Authorization", authorization) }
        return try HTTPRequest(method: "GET", target: target, headers: headers)
    }

    private func verify(_ authorization: String?) throws -> BasicAuthResult { verifier.verify(Credential.parse(try request(authorization))) }

    private func basic(_ email: String, _ secret: String) -> String { "Basic " + Base64.encode(Array("\(email):\(secret)".utf8)) }

    @Test func acceptsAnAPITokenWithAnyCaseEmail() throws {
        #expect(try verify(basic("alice@acme.test", "alice-api-token")) == .user(alice, token: APIToken(token: "alice-api-token")))
        #expect(try verify(basic("Alice@ACME.test", "alice-api-token")) == .user(alice, token: APIToken(token: "alice-api-token")))
        // The scheme name is case-insensitive (RFC 9110 §11.1).
        #expect(try verify("basic " + Base64.encode(Array("alice@acme.test:alice-api-token".utf8))) == .user(alice, token: APIToken(token: "alice-api-token")))
    }

    @Test func aScopedTokenCarriesItsScopes() throws {
        guard case .user(_, let token) = try verify(basic("alice@acme.test", "alice-scoped-token")) else {
            Issue.record("the scoped token should authenticate")
            return
        }
        #expect(token.scopes == ["read:page:confluence", "read:space:confluence"])
    }

    /// An unknown email and a wrong token get the same answer: nothing tells whether an account exists.
    @Test func unknownEmailAndWrongTokenAreIndistinguishable() throws {
        #expect(try verify(basic("alice@acme.test", "wrong")) == .refused(.badToken, email: "alice@acme.test"))
        #expect(try verify(basic("nobody@acme.test", "wrong")) == .refused(.badToken, email: "nobody@acme.test"))
        #expect(try verify(basic("bob@acme.test", "alice-api-token")) == .refused(.badToken, email: "bob@acme.test"),
                "another user's token is a wrong token")
    }

    @Test func passwordsBearerMisuseAndMalformedHeaders() throws {
        #expect(try verify(basic("alice@acme.test", "alice-password")) == .refused(.password, email: "alice@acme.test"))
        // Bearer tokens are the bearer verifier's to judge; it asks isAPIToken only on the site domain.
        #expect(Credential.parse(try request("Bearer alice-api-token")) == .bearer("alice-api-token"))
        #expect(verifier.isAPIToken("alice-api-token") && !verifier.isAPIToken("eyJhbGciOiJSUzI1NiJ9.e30.sig"))
        #expect(Credential.parse(try request("JWT a.b.c")) == .connectJWT("a.b.c"))
        #expect(try verify("JWT a.b.c") == .refused(.badToken, email: nil), "another scheme is not a basic credential")
        #expect(Credential.parse(try request("Basic not-base64!")) == .malformedBasic(user: ""))
        #expect(Credential.parse(try request("Basic " + Base64.encode(Array("no-colon".utf8)))) == .malformedBasic(user: "no-colon"),
                "what it names is kept for fault matching")
        #expect(try verify("Basic not-base64!") == .refused(.badToken, email: nil))
        #expect(try verify("Basic " + Base64.encode(Array("no-colon".utf8))) == .refused(.badToken, email: nil))
        #expect(Credential.parse(try request(nil)) == .none)
    }

    @Test func emailsAndCloudIdsCompareIgnoringCase() {
        #expect("Alice@ACME.test".equalsIgnoringCase("alice@acme.test") && !"alice@acme.test".equalsIgnoringCase("alice@acme.tes"))
        #expect(!"alice@acme.test".equalsIgnoringCase("alice@acme.tesu") && !"a[".equalsIgnoringCase("a{"), "only letters fold")
        #expect("ÉLISE@acme.test".equalsIgnoringCase("élise@ACME.test"), "non-ASCII text folds as lowercased() does")
    }

    @Test func schemesAndTheConnectQueryParameter() throws {
        #expect(Credential.parse(try request("BEARER  abc")) == .bearer("abc"), "any case, spaces after the scheme skipped")
        #expect(Credential.parse(try request("Digest username=x")) == .otherScheme("Digest"))
        #expect(Credential.parse(try request(nil, target: "/wiki/rest/api/space?jwt=a.b.c")) == .connectJWT("a.b.c"))
        #expect(Credential.parse(try request("Bearer abc", target: "/wiki/rest/api/space?jwt=a.b.c")) == .bearer("abc"),
                "the Authorization header is the credential when there is one")
        #expect(Credential.parse(try request(basic("a@b.test", "x:y"))) == .basic(user: "a@b.test", secret: "x:y"), "split at the first colon")
    }
}

/// Error bodies byte for byte, per profile and REST surface (docs/reference.md §3.2–3.5).
@Suite struct ErrorBodyTests {
    let site = Scenario.bundledDefault.sites[0]

    private func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test func shapes() {
        #expect(text(ConfluenceErrors.v1(.forbidden, "No", data: ConfluenceErrors.permissionData))
                == #"{"statusCode":403,"data":{"authorized":false,"valid":true,"errors":[],"successful":false},"message":"No"}"#)
        #expect(text(ConfluenceErrors.v2(.notFound, code: "NOT_FOUND", title: "Cannot find a page with id [1]"))
                == #"{"errors":[{"status":404,"code":"NOT_FOUND","title":"Cannot find a page with id [1]","detail":null}]}"#)
        let gateway = ConfluenceErrors.gateway(.unauthorized, "Unauthorized; scope does not match")
        #expect(gateway.status.code == 401 && text(gateway) == #"{"code":401,"message":"Unauthorized; scope does not match"}"#)
    }

    @Test func cloud2026AuthenticationFailures() {
        let v1 = ConfluenceErrors.authentication(.badToken, profile: .cloud2026, surface: .v1, site: site, path: "/wiki/rest/api/user/current")
        #expect(v1.status.code == 403)
        #expect(text(v1) == #"{"statusCode":403,"message":"com.atlassian.confluence.mvc.rest.common.exception.StacklessResponseStatusException: 403 FORBIDDEN \"Request rejected because caller cannot access Confluence\""}"#)
        let search = ConfluenceErrors.authentication(.missing, profile: .cloud2026, surface: .v1, site: site, path: "/wiki/rest/api/search")
        #expect(text(search) == #"{"statusCode":403,"message":"Current user not permitted to use Confluence"}"#)
        let v2 = ConfluenceErrors.authentication(.password, profile: .cloud2026, surface: .v2, site: site, path: "/wiki/api/v2/pages")
        #expect(v2.status.code == 404 && text(v2) == #"{"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found","detail":null}]}"#)
    }

    @Test func cloud2021AuthenticationFailures() {
        let password = ConfluenceErrors.authentication(.password, profile: .cloud2021, surface: .v1, site: site, path: "/wiki/rest/api/space")
        #expect(password.status.code == 401 && password.headers["Content-Type"] == "text/plain;charset=UTF-8")
        #expect(text(password) == "Basic authentication with passwords is deprecated.  For more information, see: https://confluence.atlassian.com/cloud/deprecation-of-basic-authentication-with-passwords-for-jira-and-confluence-apis-972355348.html\n")
        let badToken = ConfluenceErrors.authentication(.badToken, profile: .cloud2021, surface: .v1, site: site, path: "/wiki/rest/api/space")
        #expect(badToken.status.code == 401 && badToken.headers["X-Seraph-LoginReason"] == "AUTHENTICATED_FAILED" && badToken.body.isEmpty)
        let missing = ConfluenceErrors.authentication(.missing, profile: .cloud2021, surface: .v1, site: site, path: "/wiki/rest/api/space")
        #expect(missing.status.code == 401 && missing.headers["WWW-Authenticate"] == #"OAuth realm="https%3A%2F%2Facme.atlassian.net%2Fwiki""#)
        #expect(missing.headers["Content-Type"]?.hasPrefix("text/html") == true)
    }

    @Test func failuresTheSameInBothProfiles() {
        for profile in Profile.allCases {
            let bearer = ConfluenceErrors.authentication(.apiTokenAsBearer, profile: profile, surface: .v1, site: site, path: "/wiki/rest/api/space")
            #expect(bearer.status.code == 403 && text(bearer) == "Failed to parse Connect Session Auth Token")
            let scoped = ConfluenceErrors.authentication(.scopedTokenOnSite, profile: profile, surface: .v2, site: site, path: "/wiki/api/v2/pages")
            #expect(scoped.status.code == 401 && text(scoped).contains("<title>HTTP Status 401 – Unauthorized</title>"))
            let captcha = ConfluenceErrors.authentication(.captcha, profile: profile, surface: .v1, site: site, path: "/wiki/rest/api/space")
            #expect(captcha.status.code == 403 && captcha.headers["X-Seraph-LoginReason"] == "AUTHENTICATION_DENIED")
            #expect(captcha.headers["X-Authentication-Denied-Reason"] == "CAPTCHA_CHALLENGE; login-url=https://acme.atlassian.net/login.jsp")
        }
    }

    @Test func surfaceFollowsThePath() {
        #expect(APISurface.of(sitePath: "/wiki/api/v2/pages/1") == .v2)
        #expect(APISurface.of(sitePath: "/wiki/rest/api/space") == .v1)
        #expect(APISurface.of(sitePath: "/_edge/tenant_info") == .other)
    }
}
