import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP

extension PlatformAPI {
    /// `POST /oauth/token` with a JSON or form body (docs/reference.md §1.4); client credentials in the
    /// body or HTTP Basic. Answers as Atlassian does (docs/reference.md §1.5, §1.8), `Cache-Control: no-store`.
    var token: EndpointHandler {
        { context in
            let fields = Self.fields(context.http), scenario = context.snapshot.scenario
            let grants = OAuthGrants(state: state, snapshot: context.snapshot)
            context.auth.mechanism = .oauth
            func answer(_ result: Result<TokenResponse, OAuthError>) -> HTTPResponse {
                OAuthError.answer(result.map(\.json), record: &context.auth)
            }
            guard let grantType = fields["grant_type"] else { return answer(.failure(.missing("grant_type"))) }
            let (clientId, secret) = Self.clientCredentials(context.credential, fields)
            context.auth.principal = clientId
            context.auth.client = clientId
            switch grantType {
            case "authorization_code", "refresh_token":
                guard let client = scenario.oauthClients.first(where: { $0.clientId == clientId }),
                      let secret, ConstantTime.equals(secret, client.clientSecret)
                else { return answer(.failure(.clientRefused(scenario.profile))) }
                if grantType == "authorization_code" {
                    guard let code = fields["code"], let redirect = fields["redirect_uri"] else {
                        return answer(.failure(.missing("code or redirect_uri")))
                    }
                    return answer(grants.exchangeCode(code, clientId: client.clientId, redirectUri: redirect))
                }
                guard let refreshToken = fields["refresh_token"] else {
                    return answer(.failure(.missing("refresh_token")))
                }
                return answer(grants.refresh(refreshToken, clientId: client.clientId))
            case "client_credentials":
                guard fields["audience"] == nil || fields["audience"] == "api.atlassian.com" else {
                    return answer(.failure(.badRequest("invalid_request", "audience must be api.atlassian.com")))
                }
                guard let clientId, let secret else { return answer(.failure(.clientRefused(scenario.profile))) }
                if let (account, credential) = scenario.serviceAccountCredential(clientId: clientId) {
                    context.auth.mechanism = .serviceAccountOAuth
                    context.auth.principal = account.accountId
                    return answer(grants.serviceAccountToken(account, credential, secret: secret, scope: fields["scope"]))
                }
                return answer(grants.clientCredentials(clientId: clientId, secret: secret))
            default:
                return answer(.failure(.unsupportedGrantType(grantType)))
            }
        }
    }

    /// The body's fields: a JSON object of strings, or form fields.
    static func fields(_ request: HTTPRequest) -> [String: String] {
        if request.mediaType == "application/json", let object = (try? request.jsonBody())?.objectValue {
            return Dictionary(object.members.compactMap { member in member.value.stringValue.map { (member.key, $0) } }, uniquingKeysWith: { first, _ in first })
        }
        return Dictionary(request.formBody.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// `client_id`/`client_secret` from HTTP Basic, else from the body.
    /// (RFC 6749 §2.3.1: both are form-encoded before they are joined.)
    static func clientCredentials(_ credential: Credential, _ fields: [String: String]) -> (String?, String?) {
        if case .basic(let user, let secret) = credential { return (FormDecoding.decode(Substring(user)), FormDecoding.decode(Substring(secret))) }
        return (fields["client_id"], fields["client_secret"])
    }
}
