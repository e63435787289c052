import AuthMockFormats
import AuthMockHTTP

extension PlatformAPI {
    /// `GET /.well-known/oauth-authorization-server` (RFC 8414 §3) and
    /// `/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4): one document for
    /// clients that configure themselves from metadata.
    ///
    /// auth.atlassian.com answers both, but their contents were never recorded (docs/reference.md §1.6 and
    /// §7 item 10), so this document says what the mock does, in RFC 8414's terms
    /// (docs/fidelity.md): `issuer` is the `iss` of its access tokens; the endpoints are absolute
    /// URLs on the origin the request reached; no `code_challenge_methods_supported`, since 3LO has
    /// no PKCE (docs/reference.md §1.9); `scopes_supported` lists the scopes the scenario's OAuth clients
    /// may request.
    var serverMetadata: EndpointHandler {
        { context in
            let origin = Self.origin(of: context.http)
            let scopes = Set(context.snapshot.scenario.oauthClients.flatMap(\.scopes)).sorted()
            func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
            return .json(.object(JSONObject([
                ("issuer", .string(TokenSigning.issuer)),
                ("authorization_endpoint", .string("\(origin)/authorize")),
                ("token_endpoint", .string("\(origin)/oauth/token")),
                ("jwks_uri", .string("\(origin)/.well-known/jwks.json")),
                ("userinfo_endpoint", .string("\(origin)/me")),
                ("scopes_supported", strings(scopes)),
                ("response_types_supported", strings(["code"])),
                ("response_modes_supported", strings(["query"])),
                ("grant_types_supported", strings(["authorization_code", "refresh_token", "client_credentials"])),
                ("token_endpoint_auth_methods_supported", strings(["client_secret_post", "client_secret_basic"])),
                ("subject_types_supported", strings(["public"])),
                ("id_token_signing_alg_values_supported", strings(["RS256"])),
            ])))
        }
    }
}
